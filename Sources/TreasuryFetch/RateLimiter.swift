import Synchronization

/// A token bucket shared by every request of a run: at most `rate` requests a second, in small bursts.
///
/// Tokens may go negative: each caller reserves its token at once and sleeps
/// for the debt, so waiting callers are served in arrival order without a queue.
/// The burst is a tenth of a second's worth, so that a rolling one-second window
/// on the server side never sees much more than `rate`.
package final class RateLimiter: Sendable {
  package let rate: Double
  private let capacity: Double
  private let clock: any FetchClock
  private let state: Mutex<(tokens: Double, last: Double)>

  package init(requestsPerSecond rate: Double, clock: any FetchClock = SystemFetchClock()) {
    self.rate = max(rate, 0.01)
    capacity = max(1, rate / 10)
    self.clock = clock
    state = Mutex((capacity, clock.now))
  }

  /// Waits until a request may be sent; a cancelled task stops waiting and throws (the request is not sent).
  package func acquire() async throws(CancellationError) {
    let wait = reserve()
    if wait > 0 { try await clock.sleep(seconds: wait) }
  }

  /// Takes one token and returns how many seconds the caller must wait for it.
  func reserve() -> Double {
    let now = clock.now
    return state.withLock { s in
      let elapsed = max(0, now - s.last)
      s.tokens = min(capacity, s.tokens + elapsed * rate)
      s.last = max(s.last, now)
      s.tokens -= 1
      return s.tokens >= 0 ? 0 : -s.tokens / rate
    }
  }

  /// After a 429, stops everyone for `seconds`: the server says the whole key is over its limit.
  package func pause(seconds: Double) {
    state.withLock { s in
      s.tokens = min(s.tokens, -seconds * rate)
    }
  }
}
