@_spi(Inlining) import TreasuryModel
import TreasuryZlib

/// Compresses what is written to it into another target (a file) as reproducible gzip members of 1 MiB of input each.
///
/// Each `blockSize` bytes of input become an independent gzip member
/// (libdeflate, header mtime 0 and OS 255), as pigz's independent blocks; the
/// members are compressed in parallel on `GzipBlockPool`'s threads and
/// written in input order, so the bytes depend only on the input and the
/// level, never on `--jobs` or timing. Concatenated members are one gzip
/// stream to every reader. Empty input is still one (empty) member. At most
/// one block is being filled and a few are in flight, so memory stays bounded
/// whatever the file's size.
package final class GzipTarget: RenderTarget {
  /// Input bytes per gzip member (pigz's default block is 128 KiB; 1 MiB costs under 0.1% in size over one member).
  package static let blockSize = 1 << 20

  private let target: RenderTarget
  private let level: Int32
  private let path: String
  private let pool = GzipBlockPool.shared
  /// The block being filled; nil until the first write.
  private var filling: GzipBlock?
  /// Submitted blocks, oldest first: their members are written in this order.
  private var inFlight: [GzipBlock] = []
  private var spare: [GzipBlock] = []
  private var members = 0
  private var finished = false

  /// `path` names the file in messages (the compressor's own failures do not know it).
  package init(into target: RenderTarget, level: Int32 = 6, path: String = "gzip stream") throws(OutputError) {
    self.target = target
    self.level = level
    self.path = path
    // A bad level fails here, as zlib's init did, not at the first full block.
    do { _ = try GzipMemberEncoder.bound(0, level: level) } catch {
      throw .cannotWrite(path: path, reason: error.message)
    }
  }

  deinit {
    // A target abandoned after a failure may still have blocks in the pool: return their tickets once done.
    for block in inFlight {
      block.done.wait()
      pool.release()
    }
    pool.recycle(spare)
  }

  package func write(_ bytes: UnsafeRawBufferPointer) throws(OutputError) {
    guard !finished else { throw .cannotWrite(path: path, reason: "write after the gzip stream was finished") }
    var rest = bytes
    while !rest.isEmpty {
      let block: GzipBlock
      if let filling { block = filling } else { block = try newBlock() }
      filling = block
      let n = block.fill(rest)
      rest = UnsafeRawBufferPointer(rebasing: rest[n...])
      if block.isFull {
        filling = nil
        try submit(block)
      }
    }
  }

  /// Ends the gzip stream: the last block's member, then every member still in flight, in order. Call once.
  package func finish() throws(OutputError) {
    guard !finished else { return }
    finished = true
    // The last (partial) block, or an empty member if nothing was written, is compressed on this thread.
    var last = filling
    filling = nil
    if last == nil && members == 0 && inFlight.isEmpty { last = try newBlock() }
    if let last {
      last.compress()
      last.done.wait()
      try drain(upTo: inFlight.count)
      try write(member: last)
    } else {
      try drain(upTo: inFlight.count)
    }
    pool.recycle(spare)
    spare = []
  }

  /// Hands a full block to the pool; without a free ticket, writes this target's oldest block first or, with none
  /// in flight, compresses on this thread.
  private func submit(_ block: GzipBlock) throws(OutputError) {
    while !pool.trySubmit(block) {
      if inFlight.isEmpty {
        block.compress()
        block.done.wait()
        return try write(member: block)
      }
      try drain(upTo: 1)
    }
    inFlight.append(block)
  }

  /// Waits for the `count` oldest blocks in flight and writes their members.
  private func drain(upTo count: Int) throws(OutputError) {
    for _ in 0..<count {
      let block = inFlight.removeFirst()
      block.done.wait()
      pool.release()
      try write(member: block)
    }
  }

  private func write(member block: GzipBlock) throws(OutputError) {
    let member: UnsafeRawBufferPointer
    do { member = try block.takeMember() } catch { throw .cannotWrite(path: path, reason: error.message) }
    members += 1
    try target.write(member)
    spare.append(block)
  }

  private func newBlock() throws(OutputError) -> GzipBlock {
    if let block = spare.popLast() { return block }
    do { return try pool.block(level: level) } catch { throw .cannotWrite(path: path, reason: error.message) }
  }
}
