import Foundation
import TreasuryLedger
@_spi(Inlining) import TreasuryModel

/// One statement's control totals: what an auditor ties the CSV files back to.
package struct StatementControl: Codable, Sendable, Hashable {
  package var financialAccount: String
  package var account: String
  package var currency: String
  /// The statement's files in the archive (none with `--format summary`).
  package var files: [String]
  package var opening: BalanceControl
  package var closing: BalanceControl
  package var credits: String
  package var debits: String
  package var postedCount: Int
  package var voidCount: Int
  package var openCount: Int
  /// closing booked − opening booked − (credits − debits); "0.00" when it reconciles.
  package var difference: String
  package var reconciled: Bool

  package init(_ s: Statement, files: [String]) {
    let digits = Money.minorDigits(currency: s.key.currency)
    financialAccount = s.key.financialAccount
    account = s.account
    currency = s.key.currency
    self.files = files
    opening = BalanceControl(s.opening, digits: digits)
    closing = BalanceControl(s.closing, digits: digits)
    credits = DecimalAmount.string(s.credits, digits: digits)
    debits = DecimalAmount.string(s.debits, digits: digits)
    postedCount = s.postedCount
    voidCount = s.voidCount
    openCount = s.openCount
    difference = DecimalAmount.string(s.difference, digits: digits)
    reconciled = s.isReconciled
  }

  enum CodingKeys: String, CodingKey {
    case financialAccount = "financial_account"
    case account, currency, files, opening, closing, credits, debits
    case postedCount = "posted_count"
    case voidCount = "void_count"
    case openCount = "open_count"
    case difference, reconciled
  }
}
