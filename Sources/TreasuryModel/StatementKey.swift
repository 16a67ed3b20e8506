/// What a statement is for: a financial account in one currency over one period.
package struct StatementKey: Hashable, Sendable, Comparable {
  package var financialAccount: String
  package var currency: String
  package var period: Period

  package init(financialAccount: String, currency: String, period: Period) {
    self.financialAccount = financialAccount
    self.currency = currency
    self.period = period
  }

  /// Period first, so the summary reads as a timeline.
  package static func < (a: Self, b: Self) -> Bool {
    (a.period.start, a.period.end, a.financialAccount, a.currency)
      < (b.period.start, b.period.end, b.financialAccount, b.currency)
  }
}
