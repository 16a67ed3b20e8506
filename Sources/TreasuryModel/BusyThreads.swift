import Synchronization

/// Counts the threads doing a run's work at once, and the most there ever were.
///
/// The statements job brackets every worker's work with it when one is given, so a test can hold `--jobs N` to
/// its word: at most N threads busy, nested parallelism included.
package final class BusyThreads: Sendable {
  private let current = Atomic(0)
  private let peak = Atomic(0)

  package init() {}

  /// The most threads that were busy at once.
  package var most: Int { peak.load(ordering: .relaxed) }

  /// Runs `body` counted as one busy thread.
  package func counting<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result {
    let now = current.wrappingAdd(1, ordering: .relaxed).newValue
    peak.max(now, ordering: .relaxed)
    defer { current.wrappingSubtract(1, ordering: .relaxed) }
    return try body()
  }
}

extension Optional where Wrapped == BusyThreads {
  /// `counting` on a probe that may be absent (a run without one pays nothing but the check).
  @inline(__always)
  package func counting<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result {
    guard let probe = self else { return try body() }
    return try probe.counting(body)
  }
}
