/// Limits and currency facts for amounts held as integer minor units.
package enum Money {
  /// The largest magnitude accepted for one amount: 10^15 minor units
  /// (ten trillion dollars), far above any real Treasury amount.
  package static let limit: Int64 = 1_000_000_000_000_000

  /// The largest magnitude a running balance may reach. Both operands of any
  /// addition stay below 2^62, so the `&+` that produces a sum cannot wrap
  /// before this check sees it.
  package static let balanceLimit: Int64 = 1 << 61

  @inlinable package static func isAmount(_ value: Int64) -> Bool {
    value >= -limit && value <= limit
  }

  @inlinable package static func isBalance(_ value: Int64) -> Bool {
    value > -balanceLimit && value < balanceLimit
  }

  /// Digits after the decimal point for an ISO 4217 currency code (lowercase, as Stripe writes it).
  ///
  /// Stripe's zero-decimal and three-decimal currencies; every other currency has two.
  package static func minorDigits(currency: String) -> Int {
    switch currency {
    case "bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv",
      "xaf", "xof", "xpf":
      return 0
    case "bhd", "jod", "kwd", "omr", "tnd":
      return 3
    default:
      return 2
    }
  }
}
