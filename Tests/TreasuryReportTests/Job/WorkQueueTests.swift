import Synchronization
import Testing

@_spi(Inlining) @testable import TreasuryModel

struct WorkQueueTests {
  struct Failed: Error, Equatable { let index: Int }

  @Test func everyIndexRunsExactlyOnce() throws {
    let runs = Mutex([Int](repeating: 0, count: 1000))
    try WorkQueue.forEach(1000, jobs: 4) { (index: Int) throws(Failed) in
      runs.withLock { $0[index] += 1 }
    }
    #expect(runs.withLock { $0 } == [Int](repeating: 1, count: 1000))
  }

  /// Several indices fail; the lowest one is reported, and the others still run.
  @Test func theLowestFailingIndexIsThrownAfterAllRan() {
    let ran = Mutex(0)
    #expect(throws: Failed(index: 30)) {
      try WorkQueue.forEach(200, jobs: 4) { (index: Int) throws(Failed) in
        ran.withLock { $0 += 1 }
        if index == 170 || index == 30 || index == 99 { throw Failed(index: index) }
      }
    }
    #expect(ran.withLock { $0 } == 200)
  }

  @Test func takeStopsAtCount() {
    let queue = WorkQueue(count: 3)
    #expect([queue.take(), queue.take(), queue.take(), queue.take()] == [0, 1, 2, nil])
  }
}
