@_spi(Inlining) import TreasuryModel

/// `accounts.csv`: what the dump says about each financial account, for statement headers.
package enum AccountsCSV {
  package static let header = [
    "financial_account", "account", "account_name", "holder_name", "bank_name", "routing_number",
    "account_number_last4", "status", "livemode",
  ]

  package struct Row: Sendable {
    package var financialAccount: String
    package var account: String
    package var accountName: String?
    package var info: FinancialAccountInfo?

    package init(financialAccount: String, account: String, accountName: String?, info: FinancialAccountInfo?) {
      self.financialAccount = financialAccount
      self.account = account
      self.accountName = accountName
      self.info = info
    }
  }

  package static func render(_ rows: [Row], to target: RenderTarget) throws(RenderError) -> Int {
    var csv = CSVWriter(target: target, header: header)
    for row in rows {
      csv.text(row.financialAccount)
      csv.text(row.account)
      csv.text(row.accountName ?? "")
      csv.text(row.info?.holderName ?? "")
      csv.text(row.info?.bankName ?? "")
      csv.text(row.info?.routingNumber ?? "")
      csv.text(row.info?.accountNumberLast4 ?? "")
      csv.text(row.info?.status ?? "")
      csv.text(row.info.map { $0.livemode ? "true" : "false" } ?? "")
      csv.endRow()
      try csv.flushIfFull()
    }
    try csv.flush()
    return csv.rows
  }
}
