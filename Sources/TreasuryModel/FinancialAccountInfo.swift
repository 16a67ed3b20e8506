/// What a dump knows of a treasury.financial_account: its ABA address and its reported balance.
package struct FinancialAccountInfo: Sendable, Equatable {
  package var id: String
  package var livemode: Bool
  package var status: String
  package var holderName: String?
  package var bankName: String?
  package var routingNumber: String?
  package var accountNumberLast4: String?
  /// The `balance` the object reported, per currency.
  package var reportedBalance: [String: SubBalances]
  package var source: SourceLocation

  package init(
    id: String, livemode: Bool, status: String = "", holderName: String? = nil,
    bankName: String? = nil, routingNumber: String? = nil, accountNumberLast4: String? = nil,
    reportedBalance: [String: SubBalances] = [:], source: SourceLocation
  ) {
    self.id = id
    self.livemode = livemode
    self.status = status
    self.holderName = holderName
    self.bankName = bankName
    self.routingNumber = routingNumber
    self.accountNumberLast4 = accountNumberLast4
    self.reportedBalance = reportedBalance
    self.source = source
  }

  /// The routing number when it is one: nine ASCII digits, as ABA routing numbers are; nil otherwise.
  ///
  /// Every format (camt.053, OFX, BAI2, HTML) takes any other value as unknown, so they all agree.
  package var abaRoutingNumber: String? {
    guard let routingNumber, routingNumber.utf8.count == 9,
      routingNumber.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
    else { return nil }
    return routingNumber
  }

  /// Fills what this copy lacks from another copy of the same account.
  package mutating func merge(_ other: FinancialAccountInfo) {
    holderName = holderName ?? other.holderName
    bankName = bankName ?? other.bankName
    routingNumber = routingNumber ?? other.routingNumber
    accountNumberLast4 = accountNumberLast4 ?? other.accountNumberLast4
    if status.isEmpty { status = other.status }
  }
}
