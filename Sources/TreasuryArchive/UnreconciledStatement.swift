import Foundation
import TreasuryLedger
@_spi(Inlining) import TreasuryModel

/// A statement whose identity did not hold, with the numbers that show it.
package struct UnreconciledStatement: Codable, Sendable, Hashable {
  package var financialAccount: String
  package var currency: String
  package var period: String
  /// closing booked − opening booked, in major units.
  package var netBooked: String
  /// credits − debits, in major units.
  package var netPosted: String
  package var difference: String

  package init(_ s: Statement) {
    let digits = Money.minorDigits(currency: s.key.currency)
    financialAccount = s.key.financialAccount
    currency = s.key.currency
    period = s.key.period.label
    netBooked = DecimalAmount.string(s.closing.booked - s.opening.booked, digits: digits)
    netPosted = DecimalAmount.string(s.credits - s.debits, digits: digits)
    difference = DecimalAmount.string(s.difference, digits: digits)
  }

  package var message: String {
    "\(financialAccount) \(currency) \(period): closing − opening booked is \(netBooked) but credits − debits is \(netPosted) (difference \(difference))"
  }

  enum CodingKeys: String, CodingKey {
    case financialAccount = "financial_account"
    case currency, period
    case netBooked = "net_booked"
    case netPosted = "net_posted"
    case difference
  }
}
