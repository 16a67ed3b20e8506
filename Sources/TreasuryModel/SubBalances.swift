/// The three sub-balances of a financial account in one currency, in integer minor units.
///
/// Also the shape of a `balance_impact`. `booked` and `available` are derived,
/// never stored.
package struct SubBalances: Hashable, Sendable {
  package var cash: Int64
  package var inboundPending: Int64
  package var outboundPending: Int64

  package init(cash: Int64 = 0, inboundPending: Int64 = 0, outboundPending: Int64 = 0) {
    self.cash = cash
    self.inboundPending = inboundPending
    self.outboundPending = outboundPending
  }

  package static let zero = SubBalances()

  /// The ledger balance: cash + inbound_pending + outbound_pending.
  ///
  /// `adding(_:)` keeps each part and this sum within `Money.balanceLimit`
  /// (2^61), so differences of two booked balances cannot overflow either.
  package var booked: Int64 { cash + inboundPending + outboundPending }

  /// The balance that can be spent now: cash.
  package var available: Int64 { cash }

  /// The sum of both, or nil when a part would leave `Money.balanceLimit`.
  package func adding(_ other: SubBalances) -> SubBalances? {
    let sum = SubBalances(
      cash: cash &+ other.cash,
      inboundPending: inboundPending &+ other.inboundPending,
      outboundPending: outboundPending &+ other.outboundPending)
    return sum.withinBalanceLimit
  }

  /// The difference `self - other`, part by part, or nil when a part would overflow or leave
  /// `Money.balanceLimit`.
  ///
  /// `verify` subtracts amounts read from files anyone may have edited, so no input may make it trap.
  package func subtracting(_ other: SubBalances) -> SubBalances? {
    let (c, o1) = cash.subtractingReportingOverflow(other.cash)
    let (i, o2) = inboundPending.subtractingReportingOverflow(other.inboundPending)
    let (o, o3) = outboundPending.subtractingReportingOverflow(other.outboundPending)
    guard !o1, !o2, !o3 else { return nil }
    return SubBalances(cash: c, inboundPending: i, outboundPending: o).withinBalanceLimit
  }

  /// Self, when every part and the booked balance lie within `Money.balanceLimit`.
  private var withinBalanceLimit: SubBalances? {
    guard Money.isBalance(cash), Money.isBalance(inboundPending), Money.isBalance(outboundPending),
      Money.isBalance(booked)
    else { return nil }
    return self
  }

  package var isZero: Bool { cash == 0 && inboundPending == 0 && outboundPending == 0 }
}
