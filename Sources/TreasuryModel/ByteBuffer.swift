/// A growable byte buffer written to directly, for renderers that produce millions of small pieces.
///
/// `[UInt8].append` checks capacity and uniqueness per call; renderers here
/// reserve once per cell and then store bytes through a pointer. One buffer
/// belongs to one writer on one thread, so the dynamic exclusivity checks
/// Swift puts on class properties are switched off: they cost more than the
/// writes they guard.
///
/// Public under the `Inlining` SPI only so that renderers in other targets can inline its writes (the compiler
/// serializes the bodies of public `@inlinable` code, not of package code); it is no part of the library's API.
@_spi(Inlining) public final class ByteBuffer {
  @exclusivity(unchecked) @usableFromInline var used = 0
  @exclusivity(unchecked) @usableFromInline var capacity: Int
  @exclusivity(unchecked) @usableFromInline var base: UnsafeMutablePointer<UInt8>

  /// Bytes written so far.
  @inlinable public var count: Int { used }

  public init(capacity: Int = 1 << 16) {
    self.capacity = max(capacity, 64)
    base = .allocate(capacity: self.capacity)
  }

  deinit { base.deallocate() }

  /// Makes room for `extra` more bytes and returns where they go; `commit` then counts them.
  @inlinable @inline(__always)
  public func reserve(_ extra: Int) -> UnsafeMutablePointer<UInt8> {
    if used + extra > capacity { grow(to: used + extra) }
    return base + used
  }

  @inlinable @inline(__always)
  public func commit(_ written: Int) { used += written }

  @inlinable @inline(__always)
  public func append(_ byte: UInt8) {
    reserve(1).pointee = byte
    used += 1
  }

  @inlinable @inline(__always)
  public func append(_ bytes: UnsafeRawBufferPointer) {
    guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
    reserve(bytes.count).update(from: source.assumingMemoryBound(to: UInt8.self), count: bytes.count)
    used += bytes.count
  }

  @inlinable
  public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: used) }

  @inlinable
  public func removeAll() { used = 0 }

  @usableFromInline
  func grow(to needed: Int) {
    var size = capacity * 2
    while size < needed { size *= 2 }
    let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
    bigger.update(from: base, count: used)
    base.deallocate()
    base = bigger
    capacity = size
  }
}
