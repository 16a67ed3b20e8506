import TreasuryHTTP

extension RetryPolicy {
  /// Whether a Stripe answer with this status and `Stripe-Should-Retry` header is worth another attempt.
  ///
  /// `Stripe-Should-Retry: true` makes any status retryable and `false` none, as Stripe's own libraries do;
  /// without it, 429 and 5xx are.
  package static func isRetryable(status: Int, shouldRetry: String?) -> Bool {
    switch shouldRetry?.lowercased() {
    case "false": return false
    case "true": return true
    default: return isRetryable(status: status)
    }
  }
}
