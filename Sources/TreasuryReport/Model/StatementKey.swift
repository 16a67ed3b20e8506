/// What a statement is for: a financial account in one currency over one period.
public struct StatementKey: Hashable, Sendable, Comparable {
  public var financialAccount: String
  public var currency: String
  public var period: Period

  public init(financialAccount: String, currency: String, period: Period) {
    self.financialAccount = financialAccount
    self.currency = currency
    self.period = period
  }

  /// Period first, so the summary reads as a timeline.
  public static func < (a: Self, b: Self) -> Bool {
    (a.period.start, a.period.end, a.financialAccount, a.currency)
      < (b.period.start, b.period.end, b.financialAccount, b.currency)
  }
}
