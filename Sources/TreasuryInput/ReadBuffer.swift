#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A block of memory for reading, kept by a worker and reused for file after file.
///
/// Allocating a fresh megabyte per file means fresh pages (and page faults)
/// per file; one buffer per worker avoids both.
package final class ReadBuffer {
  private(set) var pointer: UnsafeMutableRawPointer
  private(set) var capacity: Int

  package init(capacity: Int = 1 << 20) {
    self.capacity = max(capacity, 16)
    pointer = .allocate(byteCount: self.capacity, alignment: 16)
  }

  /// The whole buffer, for reads that do not split lines.
  package var whole: UnsafeMutableRawBufferPointer { UnsafeMutableRawBufferPointer(start: pointer, count: capacity) }

  deinit { pointer.deallocate() }

  /// Moves the unconsumed bytes `[start, end)` to the front, doubles the buffer when they fill it, and reads more
  /// from `source` after them.
  ///
  /// Returns how far the bytes moved back (callers shift their offsets by it) and how many were read (0 at the
  /// end of the source); nil, reading nothing, when the bytes already fill `limit` bytes of buffer.
  func refill(start: Int, end: Int, from source: ByteSource, limit: Int) throws(InputError) -> (moved: Int, read: Int)?
  {
    let pending = end - start
    if start > 0 && pending > 0 { memmove(pointer, pointer + start, pending) }
    if pending == capacity {
      guard capacity < limit else { return nil }
      let bigger = UnsafeMutableRawPointer.allocate(byteCount: min(capacity * 2, limit), alignment: 16)
      bigger.copyMemory(from: pointer, byteCount: pending)
      pointer.deallocate()
      pointer = bigger
      capacity = min(capacity * 2, limit)
    }
    let n = try source.read(into: UnsafeMutableRawBufferPointer(start: pointer + pending, count: capacity - pending))
    return (start, n)
  }
}
