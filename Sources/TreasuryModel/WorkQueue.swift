import Foundation
import Synchronization

/// Hands out the indices 0..<count to worker threads, each exactly once, in increasing order.
///
/// Workers pull the next index when they are free, so a few big items do not
/// leave a thread idle the way a fixed split would.
package final class WorkQueue: Sendable {
  private let count: Int
  private let next = Mutex(0)

  package init(count: Int) { self.count = count }

  /// The next index nobody has taken, or nil when all are taken.
  package func take() -> Int? {
    let index = next.withLock { value -> Int in
      defer { value += 1 }
      return value
    }
    return index < count ? index : nil
  }

  /// Runs `body` for every index in 0..<count on up to `jobs` threads; once all
  /// have run, throws the failure of the lowest index, so which error is
  /// reported never depends on thread timing.
  package static func forEach<Failure: Error>(
    _ count: Int, jobs: Int, _ body: @Sendable (Int) throws(Failure) -> Void
  ) throws(Failure) {
    let queue = WorkQueue(count: count)
    let failures = Mutex<[Failure?]>(Array(repeating: nil, count: count))
    DispatchQueue.concurrentPerform(iterations: max(1, min(jobs, count))) { _ in
      while let index = queue.take() {
        do throws(Failure) {
          try body(index)
        } catch {
          failures.withLock { $0[index] = error }
        }
      }
    }
    if let failure = failures.withLock({ $0.compactMap { $0 }.first }) { throw failure }
  }
}
