import Foundation
import Synchronization
import TreasuryZlib

/// The threads that compress gzip blocks for every `GzipTarget` of the process, one per core.
///
/// Own threads rather than Dispatch's: the writers waiting for their blocks
/// often run inside `WorkQueue.forEach` on Dispatch's threads, and blocks
/// queued behind them there could wait for a thread that never frees up.
/// Workers do nothing but compress, so every queued block finishes.
///
/// Memory stays bounded: a writer may have a block queued or compressing only
/// while it holds one of `tickets` (twice the cores); without one it drains
/// its own oldest block first, or compresses the block itself
/// (`trySubmit` returns false). Which thread compresses a block never changes
/// its bytes.
final class GzipBlockPool: Sendable {
  static let shared = GzipBlockPool(threads: ProcessInfo.processInfo.activeProcessorCount)

  let threads: Int
  private let tickets: Mutex<Int>
  private let queue = BlockQueue()
  /// Emptied blocks kept for the next target (an archive makes a member per tar header: they must not each
  /// allocate 2 MiB), at most `idleLimit`.
  private let idle = Mutex<[GzipBlock]>([])
  private var idleLimit: Int { 4 * threads }

  init(threads: Int) {
    self.threads = max(1, threads)
    tickets = Mutex(2 * self.threads)
    for index in 0..<self.threads {
      let thread = Thread { [queue] in
        while true { queue.next().compress() }
      }
      thread.name = "gzip-\(index)"
      thread.start()
    }
  }

  /// Queues `block` for compression if a ticket is free (the caller returns it with `release()` once it has
  /// written the member); false when none is.
  func trySubmit(_ block: GzipBlock) -> Bool {
    let granted = tickets.withLock { free -> Bool in
      guard free > 0 else { return false }
      free -= 1
      return true
    }
    if granted { queue.append(block) }
    return granted
  }

  /// Returns the ticket of a block whose member was taken.
  func release() {
    tickets.withLock { $0 += 1 }
  }

  /// An empty block for `level`: a kept one, or a new one of `GzipTarget.blockSize`.
  func block(level: Int32) throws(ZlibError) -> GzipBlock {
    let kept = idle.withLock { blocks -> GzipBlock? in
      guard let index = blocks.lastIndex(where: { $0.level == level }) else { return nil }
      return blocks.remove(at: index)
    }
    if let kept { return kept }
    return try GzipBlock(capacity: GzipTarget.blockSize, level: level)
  }

  /// Takes back emptied blocks for reuse; those beyond `idleLimit` are freed.
  func recycle(_ blocks: [GzipBlock]) {
    let limit = idleLimit
    idle.withLock { kept in
      for block in blocks where kept.count < limit { kept.append(block) }
    }
  }

  /// Blocks waiting for a worker, in the order they were submitted.
  private final class BlockQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var blocks: [GzipBlock] = []
    private var head = 0

    func append(_ block: GzipBlock) {
      condition.lock()
      blocks.append(block)
      condition.signal()
      condition.unlock()
    }

    func next() -> GzipBlock {
      condition.lock()
      defer { condition.unlock() }
      while head == blocks.count { condition.wait() }
      let block = blocks[head]
      head += 1
      if head == blocks.count {
        blocks.removeAll(keepingCapacity: true)
        head = 0
      }
      return block
    }
  }
}
