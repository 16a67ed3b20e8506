/// A cross-check between objects of the dump that did not hold.
package struct CheckFailure: Sendable, Hashable, Codable {
  package init(check: Check, financialAccount: String, currency: String, object: String, detail: String) {
    self.check = check
    self.financialAccount = financialAccount
    self.currency = currency
    self.object = object
    self.detail = detail
  }

  package enum Check: String, Sendable, Codable {
    /// A transaction's entries do not add up to its `balance_impact`.
    case entriesMatchImpact = "entries_match_balance_impact"
    /// A posted transaction's entries do not add up to its `amount`.
    case entriesMatchAmount = "entries_match_amount"
    /// A transaction has no entries in the dump.
    case transactionHasEntries = "transaction_has_entries"
    /// An entry names a transaction the dump does not hold.
    case entryHasTransaction = "entry_has_transaction"
    /// A financial_account's reported `balance` differs from the sum of its entries.
    case reportedBalance = "reported_balance"
  }

  package var check: Check
  package var financialAccount: String
  package var currency: String
  /// The object the check is about (a transaction, entry or financial account id).
  package var object: String
  package var detail: String

  package var message: String {
    "\(financialAccount) \(currency) \(object): \(detail) [\(check.rawValue)]"
  }

  enum CodingKeys: String, CodingKey {
    case check
    case financialAccount = "financial_account"
    case currency, object, detail
  }
}
