@_spi(Inlining) import TreasuryModel

/// Every distinct `balance` the financial_account objects of a dump report, per financial account and currency.
///
/// Copies of one object fetched at different times may differ. Kept per
/// currency, each currency's values are unique however many copies repeat
/// them, and callers sort them, so what a run says about them never depends
/// on the order of lines or of a set.
package struct ReportedBalances: Sendable, Equatable {
  /// Financial account id → currency → the distinct balances reported in it.
  private var values: [String: [String: Set<SubBalances>]] = [:]

  package init() {}

  /// Notes every currency one copy of a financial_account object reports.
  package mutating func insert(_ balance: [String: SubBalances], of financialAccount: String) {
    for (currency, value) in balance {
      values[financialAccount, default: [:]][currency, default: []].insert(value)
    }
  }

  /// Adds everything `other` holds.
  package mutating func merge(_ other: ReportedBalances) {
    for (fa, currencies) in other.values {
      for (currency, set) in currencies {
        values[fa, default: [:]][currency, default: []].formUnion(set)
      }
    }
  }

  /// The distinct balances `financialAccount` reports in `currency` (empty when none does).
  package func balances(of financialAccount: String, in currency: String) -> Set<SubBalances> {
    values[financialAccount]?[currency] ?? []
  }

  /// The currencies `financialAccount` reports a balance in, sorted.
  package func currencies(of financialAccount: String) -> [String] {
    (values[financialAccount]?.keys).map { $0.sorted() } ?? []
  }

  package mutating func removeAll() { values.removeAll() }
}
