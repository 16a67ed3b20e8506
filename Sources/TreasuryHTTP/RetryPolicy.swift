/// When to try a request again and how long to wait first, for every API client (Stripe's, S3's).
///
/// Retried: HTTP 429 and 5xx, timeouts and dropped or broken connections (each client adds its service's own
/// signals: Stripe's `Stripe-Should-Retry`, S3's `SlowDown`). Waits grow exponentially with random jitter, so
/// parallel workers that failed together do not retry together: "equal jitter" (between half and all of the
/// step, the fetcher's) or "full jitter" (anywhere from zero to the step, AWS's advice for S3).
public struct RetryPolicy: Sendable, Equatable {
  /// How much of each step is random.
  package enum Jitter: Sendable, Equatable {
    /// Between half and all of the step.
    case equal
    /// Between zero and the step.
    case full
  }

  /// Attempts per request, the first included.
  public var maxAttempts: Int
  /// The first wait, in seconds; each later one doubles, up to `maxDelay`.
  package var baseDelay: Double
  package var maxDelay: Double
  package var jitter: Jitter

  package init(maxAttempts: Int = 6, baseDelay: Double = 0.5, maxDelay: Double = 20, jitter: Jitter = .equal) {
    self.maxAttempts = maxAttempts
    self.baseDelay = baseDelay
    self.maxDelay = maxDelay
    self.jitter = jitter
  }

  /// Whether an HTTP answer with this status is worth another attempt: 429 and 5xx.
  package static func isRetryable(status: Int) -> Bool { status == 429 || (500...599).contains(status) }

  /// Seconds to wait after failed attempt `attempt` (1-based); a server's `Retry-After` is honoured up to a minute.
  package func delay(afterAttempt attempt: Int, retryAfter: Double?, random: Double) -> Double {
    let exponent = Double(max(0, min(attempt - 1, 30)))
    let step = min(maxDelay, baseDelay * Double(1 << Int(exponent)))
    let r = min(max(random, 0), 1)
    let jittered = jitter == .equal ? step / 2 + step / 2 * r : step * r
    guard let retryAfter, retryAfter > 0 else { return jittered }
    return max(jittered, min(retryAfter, 60))
  }
}
