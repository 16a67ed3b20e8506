import Foundation
@_spi(Inlining) import TreasuryModel

/// Sub-balances and their booked sum, in major units.
package struct BalanceControl: Codable, Sendable, Hashable {
  package var cash: String
  package var inboundPending: String
  package var outboundPending: String
  package var booked: String

  package init(_ b: SubBalances, digits: Int) {
    cash = DecimalAmount.string(b.cash, digits: digits)
    inboundPending = DecimalAmount.string(b.inboundPending, digits: digits)
    outboundPending = DecimalAmount.string(b.outboundPending, digits: digits)
    booked = DecimalAmount.string(b.booked, digits: digits)
  }

  enum CodingKeys: String, CodingKey {
    case cash
    case inboundPending = "inbound_pending"
    case outboundPending = "outbound_pending"
    case booked
  }
}
