/// A growable byte buffer written to directly, for renderers that produce millions of small pieces.
///
/// `[UInt8].append` checks capacity and uniqueness per call; renderers here
/// reserve once per cell and then store bytes through a pointer. One buffer
/// belongs to one writer on one thread, so the dynamic exclusivity checks
/// Swift puts on class properties are switched off: they cost more than the
/// writes they guard.
package final class ByteBuffer {
  @exclusivity(unchecked) package private(set) var count = 0
  @exclusivity(unchecked) private var capacity: Int
  @exclusivity(unchecked) private var base: UnsafeMutablePointer<UInt8>

  package init(capacity: Int = 1 << 16) {
    self.capacity = max(capacity, 64)
    base = .allocate(capacity: self.capacity)
  }

  deinit { base.deallocate() }

  /// Makes room for `extra` more bytes and returns where they go; `commit` then counts them.
  @inline(__always)
  package func reserve(_ extra: Int) -> UnsafeMutablePointer<UInt8> {
    if count + extra > capacity { grow(to: count + extra) }
    return base + count
  }

  @inline(__always)
  package func commit(_ written: Int) { count += written }

  @inline(__always)
  package func append(_ byte: UInt8) {
    reserve(1).pointee = byte
    count += 1
  }

  @inline(__always)
  package func append(_ bytes: UnsafeRawBufferPointer) {
    guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
    reserve(bytes.count).update(from: source.assumingMemoryBound(to: UInt8.self), count: bytes.count)
    count += bytes.count
  }

  package var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

  package func removeAll() { count = 0 }

  private func grow(to needed: Int) {
    var size = capacity * 2
    while size < needed { size *= 2 }
    let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
    bigger.update(from: base, count: count)
    base.deallocate()
    base = bigger
    capacity = size
  }
}
