@_spi(Inlining) import TreasuryModel

/// A ledger computation that cannot give a true answer.
package enum LedgerError: Error, Sendable, Equatable {
  /// A balance or total left the range the tool can hold exactly.
  case overflow(financialAccount: String, currency: String, period: String)

  package var message: String {
    switch self {
    case .overflow(let account, let currency, let period):
      return
        "\(account) \(currency) \(period): error: balances or totals exceed ±\(Money.balanceLimit) minor units; the dump cannot be right"
    }
  }
}
