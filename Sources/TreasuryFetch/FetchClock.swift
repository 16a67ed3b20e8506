/// Time as a fetch sees it: the system's monotonic clock in a run, a clock the test moves in tests.
///
/// The rate limit and the pauses between attempts read and wait on it, so a test asserts on the waits
/// themselves instead of on wall time.
package protocol FetchClock: Sendable {
  /// Seconds since a fixed instant of this clock.
  var now: Double { get }
  /// Waits `seconds`; a cancelled task stops waiting and throws.
  func sleep(seconds: Double) async throws(CancellationError)
}

/// The system's monotonic clock (`ContinuousClock`).
package struct SystemFetchClock: FetchClock {
  private let origin = ContinuousClock.now

  package init() {}

  package var now: Double { (ContinuousClock.now - origin) / .seconds(1) }

  package func sleep(seconds: Double) async throws(CancellationError) {
    do { try await Task.sleep(for: .seconds(seconds)) } catch { throw CancellationError() }
  }
}
