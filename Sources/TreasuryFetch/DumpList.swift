/// The three lists a fetch writes per account folder, with their file names and object types.
enum DumpList: String, CaseIterable, Sendable {
  case financialAccounts = "financial_accounts"
  case transactions
  case transactionEntries = "transaction_entries"

  var fileName: String { rawValue + ".jsonl.gz" }

  var objectType: String {
    switch self {
    case .financialAccounts: return "treasury.financial_account"
    case .transactions: return "treasury.transaction"
    case .transactionEntries: return "treasury.transaction_entry"
    }
  }

  var path: String {
    switch self {
    case .financialAccounts: return "/v1/treasury/financial_accounts"
    case .transactions: return "/v1/treasury/transactions"
    case .transactionEntries: return "/v1/treasury/transaction_entries"
    }
  }
}
