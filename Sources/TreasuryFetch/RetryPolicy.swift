/// When to try a request again and how long to wait first.
///
/// Retried: HTTP 429 and 5xx, timeouts and dropped or broken connections,
/// unless the answer says `Stripe-Should-Retry: false`; `Stripe-Should-Retry:
/// true` makes any status retryable, as Stripe's own libraries do. Waits grow
/// exponentially with random jitter ("equal jitter": between half and all of
/// the step), so parallel workers that failed together do not retry together.
public struct RetryPolicy: Sendable, Equatable {
  /// Attempts per request, the first included.
  public var maxAttempts: Int
  /// The first wait, in seconds; each later one doubles, up to `maxDelay`.
  package var baseDelay: Double
  package var maxDelay: Double

  package init(maxAttempts: Int = 6, baseDelay: Double = 0.5, maxDelay: Double = 20) {
    self.maxAttempts = maxAttempts
    self.baseDelay = baseDelay
    self.maxDelay = maxDelay
  }

  /// Whether an HTTP answer with this status and `Stripe-Should-Retry` header is worth another attempt.
  package static func isRetryable(status: Int, shouldRetry: String?) -> Bool {
    switch shouldRetry?.lowercased() {
    case "false": return false
    case "true": return true
    default: return status == 429 || (500...599).contains(status)
    }
  }

  /// Seconds to wait after failed attempt `attempt` (1-based); a server's `Retry-After` is honoured up to a minute.
  package func delay(afterAttempt attempt: Int, retryAfter: Double?, random: Double) -> Double {
    let exponent = Double(max(0, min(attempt - 1, 30)))
    let step = min(maxDelay, baseDelay * Double(1 << Int(exponent)))
    let jittered = step / 2 + step / 2 * min(max(random, 0), 1)
    guard let retryAfter, retryAfter > 0 else { return jittered }
    return max(jittered, min(retryAfter, 60))
  }
}
