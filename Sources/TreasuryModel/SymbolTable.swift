#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Interns byte strings: each distinct string is stored once and named by a `Symbol`.
///
/// Open addressing over one byte arena; lookups hash eight bytes at a time.
/// Public under the `Inlining` SPI only, so that renderers in other targets inline `withBytes` (see `ByteBuffer`).
@_spi(Inlining) public struct SymbolTable: Sendable {
  @usableFromInline var arena: [UInt8] = []
  /// Start of each symbol in `arena`; `starts[i + 1]` is its end.
  @usableFromInline var starts: [Int] = [0]
  private var hashes: [UInt64] = []
  /// Symbol index + 1 per slot; 0 marks an empty slot.
  private var slots: [Int32]
  private var mask: Int

  package init(capacity: Int = 1024) {
    var size = 16
    while size < capacity * 2 { size <<= 1 }
    slots = Array(repeating: 0, count: size)
    mask = size - 1
    arena.reserveCapacity(capacity * 24)
  }

  /// Forgets every string but keeps the memory, for reuse by the next unit of work.
  package mutating func removeAll() {
    arena.removeAll(keepingCapacity: true)
    starts.removeAll(keepingCapacity: true)
    starts.append(0)
    hashes.removeAll(keepingCapacity: true)
    for i in slots.indices { slots[i] = 0 }
  }

  /// The number of distinct strings interned.
  package var count: Int { hashes.count }

  /// Returns the symbol for `bytes`, adding the string if it is new.
  package mutating func intern(_ bytes: UnsafeRawBufferPointer) -> Symbol {
    let hash = Self.hash(bytes)
    var slot = Int(truncatingIfNeeded: hash) & mask
    while true {
      let stored = slots[slot]
      if stored == 0 { break }
      let index = Int(stored) - 1
      if hashes[index] == hash && equals(index, bytes) {
        return Symbol(index: Int32(index))
      }
      slot = (slot + 1) & mask
    }
    let index = hashes.count
    arena.append(contentsOf: bytes)
    starts.append(arena.count)
    hashes.append(hash)
    slots[slot] = Int32(index + 1)
    if hashes.count * 2 > slots.count { grow() }
    return Symbol(index: Int32(index))
  }

  /// Returns the symbol for `string`, adding it if it is new.
  package mutating func intern(_ string: String) -> Symbol {
    var copy = string
    return copy.withUTF8 { intern(UnsafeRawBufferPointer($0)) }
  }

  /// The string a symbol stands for; the empty string for `Symbol.none`.
  package func string(_ symbol: Symbol) -> String {
    guard !symbol.isNone else { return "" }
    let index = Int(symbol.index)
    return String(decoding: arena[starts[index]..<starts[index + 1]], as: UTF8.self)
  }

  /// Calls `body` with the bytes of a symbol (empty for `Symbol.none`).
  @inlinable
  public func withBytes<R>(_ symbol: Symbol, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    guard !symbol.isNone else { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
    let index = Int(symbol.index)
    return try arena.withUnsafeBytes { all in
      try body(UnsafeRawBufferPointer(rebasing: all[starts[index]..<starts[index + 1]]))
    }
  }

  /// The hash `intern` computed for a symbol's string (`hash(_:)` of its bytes): the same in every table.
  package func hash(of symbol: Symbol) -> UInt64 { hashes[Int(symbol.index)] }

  /// Byte-wise (UTF-8) order of two symbols' strings; `Symbol.none` sorts first.
  package func less(_ a: Symbol, _ b: Symbol) -> Bool {
    if a == b { return false }
    if a.isNone || b.isNone { return a.isNone }
    let ra = starts[Int(a.index)]..<starts[Int(a.index) + 1]
    let rb = starts[Int(b.index)]..<starts[Int(b.index) + 1]
    return arena.withUnsafeBufferPointer { all in
      let n = min(ra.count, rb.count)
      for i in 0..<n {
        let x = all[ra.lowerBound + i]
        let y = all[rb.lowerBound + i]
        if x != y { return x < y }
      }
      return ra.count < rb.count
    }
  }

  private func equals(_ index: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
    let start = starts[index]
    let length = starts[index + 1] - start
    guard length == bytes.count else { return false }
    if length == 0 { return true }
    return arena.withUnsafeBytes { all in
      memcmp(all.baseAddress! + start, bytes.baseAddress!, length) == 0
    }
  }

  private mutating func grow() {
    let size = slots.count * 2
    var fresh = [Int32](repeating: 0, count: size)
    let newMask = size - 1
    for index in 0..<hashes.count {
      var slot = Int(truncatingIfNeeded: hashes[index]) & newMask
      while fresh[slot] != 0 { slot = (slot + 1) & newMask }
      fresh[slot] = Int32(index + 1)
    }
    slots = fresh
    mask = newMask
  }

  /// A fast non-cryptographic hash (eight bytes per step, then a final mix).
  @inline(__always)
  package static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
    var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
    var i = 0
    let n = bytes.count
    while i + 8 <= n {
      let word = bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)
      h = (h ^ word) &* 0xFF51_AFD7_ED55_8CCD
      h ^= h >> 32
      i += 8
    }
    var tail: UInt64 = 0
    var shift: UInt64 = 0
    while i < n {
      tail |= UInt64(bytes[i]) << shift
      shift += 8
      i += 1
    }
    h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
    h ^= h >> 29
    h = h &* 0xFF51_AFD7_ED55_8CCD
    h ^= h >> 32
    return h
  }
}
