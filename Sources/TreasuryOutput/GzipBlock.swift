import Dispatch
import TreasuryZlib

/// One block of a gzip file's input (up to `GzipTarget.blockSize` bytes) and the gzip member it compresses to.
///
/// A `GzipTarget` fills the input, hands the block to `GzipBlockPool` (or
/// compresses it itself), waits for `done`, writes the member and fills the
/// block again. Between `compress()` starting and `done` being signalled only
/// the compressing thread touches it; the semaphore orders the two threads'
/// accesses, hence `@unchecked Sendable`.
final class GzipBlock: @unchecked Sendable {
  let level: Int32
  private let input: UnsafeMutableRawBufferPointer
  private let output: UnsafeMutableRawBufferPointer
  /// Bytes of input filled so far.
  private(set) var count = 0
  /// Bytes of `output` the member took, once compressed.
  private var produced = 0
  private var failure: ZlibError?
  /// Signalled once per `compress()`, when the member (or the failure) is ready.
  let done = DispatchSemaphore(value: 0)

  init(capacity: Int, level: Int32) throws(ZlibError) {
    self.level = level
    let room = try GzipMemberEncoder.bound(capacity, level: level)
    input = .allocate(byteCount: capacity, alignment: 64)
    output = .allocate(byteCount: room, alignment: 64)
  }

  deinit {
    input.deallocate()
    output.deallocate()
  }

  var room: Int { input.count - count }
  var isFull: Bool { count == input.count }

  /// Copies as much of `bytes` as fits and returns how many bytes that was.
  func fill(_ bytes: UnsafeRawBufferPointer) -> Int {
    let n = min(room, bytes.count)
    if n > 0, let source = bytes.baseAddress, let base = input.baseAddress {
      (base + count).copyMemory(from: source, byteCount: n)
      count += n
    }
    return n
  }

  /// Compresses the filled input into one gzip member and signals `done`; runs on any one thread.
  func compress() {
    do {
      produced = try GzipMemberEncoder.encode(
        UnsafeRawBufferPointer(rebasing: input[0..<count]), level: level, into: output)
      failure = nil
    } catch {
      failure = error
    }
    done.signal()
  }

  /// The compressed member, after `done` was waited for; empties the block for the next input.
  func takeMember() throws(ZlibError) -> UnsafeRawBufferPointer {
    count = 0
    if let failure { throw failure }
    return UnsafeRawBufferPointer(rebasing: output[0..<produced])
  }
}
