/// One 512-byte tar header block (POSIX ustar, as pax extends it): building, checking and reading fields.
///
/// Layout (offset, length): name 0/100, mode 100/8, uid 108/8, gid 116/8,
/// size 124/12, mtime 136/12, chksum 148/8, typeflag 156/1, linkname 157/100,
/// magic 257/6, version 263/2, uname 265/32, gname 297/32, devmajor 329/8,
/// devminor 337/8, prefix 345/155.
package enum TarHeader {
  package static let blockSize = 512
  /// The largest size the 11 octal digits of the ustar size field hold (8 GiB − 1).
  package static let maxOctalSize = 0o77777777777

  package enum TypeFlag {
    package static let file = UInt8(ascii: "0")
    /// Pre-POSIX archives mark regular files with NUL.
    package static let oldFile: UInt8 = 0
    package static let directory = UInt8(ascii: "5")
    package static let paxExtended = UInt8(ascii: "x")
    package static let paxGlobal = UInt8(ascii: "g")
    package static let gnuLongName = UInt8(ascii: "L")
    package static let gnuLongLink = UInt8(ascii: "K")
  }

  /// A ustar header with the fields this tool writes: mode 0644, uid and gid 0, no user or group names.
  ///
  /// `name` and `prefix` must already fit (100 and 155 bytes); `size` must fit 11 octal digits.
  static func build(name: [UInt8], prefix: [UInt8], size: Int, mtime: Int, typeflag: UInt8) -> [UInt8] {
    var block = [UInt8](repeating: 0, count: blockSize)
    put(name, at: 0, in: &block)
    put(octal(0o644, width: 8), at: 100, in: &block)
    put(octal(0, width: 8), at: 108, in: &block)
    put(octal(0, width: 8), at: 116, in: &block)
    put(octal(size, width: 12), at: 124, in: &block)
    put(octal(mtime, width: 12), at: 136, in: &block)
    block[156] = typeflag
    put(Array("ustar\0".utf8), at: 257, in: &block)
    put(Array("00".utf8), at: 263, in: &block)
    put(octal(0, width: 8), at: 329, in: &block)
    put(octal(0, width: 8), at: 337, in: &block)
    put(prefix, at: 345, in: &block)
    // The checksum is computed with its own field read as eight spaces, then
    // written as six octal digits, NUL and space (as GNU tar and Python do).
    for i in 148..<156 { block[i] = 0x20 }
    let sum = block.reduce(0) { $0 + Int($1) }
    put(octal(sum, width: 7), at: 148, in: &block)
    block[155] = 0x20
    return block
  }

  /// Splits a path into ustar's prefix and name fields, or nil when it does not fit them.
  static func split(_ path: [UInt8]) -> (prefix: [UInt8], name: [UInt8])? {
    if path.count <= 100 { return ([], path) }
    // The prefix ends at a slash that is not written; the name is what follows.
    for i in stride(from: min(path.count - 1, 155), to: 0, by: -1) where path[i] == UInt8(ascii: "/") {
      let name = Array(path[(i + 1)...])
      if name.count <= 100 && !name.isEmpty { return (Array(path[..<i]), name) }
      break
    }
    return nil
  }

  /// True when the stored checksum matches the block (summed as unsigned or, as some old writers did, signed bytes).
  static func checksumMatches(_ block: UnsafeRawBufferPointer) -> Bool {
    guard let stored = number(block, 148, 8) else { return false }
    var unsigned = 0
    var signed = 0
    for (i, byte) in block.enumerated() {
      let b = (148..<156).contains(i) ? 0x20 : byte
      unsigned += Int(b)
      signed += Int(Int8(bitPattern: b))
    }
    return stored == unsigned || stored == signed
  }

  static func isZero(_ block: UnsafeRawBufferPointer) -> Bool {
    block.allSatisfy { $0 == 0 }
  }

  /// A numeric field: octal digits (leading spaces or zeros, ending at NUL or space), or GNU's base-256.
  static func number(_ block: UnsafeRawBufferPointer, _ offset: Int, _ length: Int) -> Int? {
    let field = UnsafeRawBufferPointer(rebasing: block[offset..<(offset + length)])
    if let first = field.first, first & 0x80 != 0 {
      // Base-256, big-endian; negative values (0xFF first) are not sizes.
      guard first == 0x80 else { return nil }
      var value = 0
      for byte in field.dropFirst() {
        guard value <= (Int.max >> 8) else { return nil }
        value = value << 8 | Int(byte)
      }
      return value
    }
    var value = 0
    var digits = 0
    var ended = false
    for byte in field {
      if ended {
        guard byte == 0 || byte == 0x20 else { return nil }
      } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "7") {
        guard value <= (Int.max >> 3) else { return nil }
        value = value << 3 | Int(byte - UInt8(ascii: "0"))
        digits += 1
      } else if byte == 0x20 && digits == 0 {
        continue
      } else if byte == 0 || byte == 0x20 {
        ended = true
      } else {
        return nil
      }
    }
    return value
  }

  /// A text field up to its first NUL.
  static func text(_ block: UnsafeRawBufferPointer, _ offset: Int, _ length: Int) -> [UInt8] {
    let field = block[offset..<(offset + length)]
    return Array(field.prefix { $0 != 0 })
  }

  /// The path a ustar header names: prefix, slash, name (prefix only for ustar magic).
  static func path(_ block: UnsafeRawBufferPointer) -> [UInt8] {
    let name = text(block, 0, 100)
    let isPOSIX = text(block, 257, 6) == Array("ustar".utf8) && block[262] == 0
    let prefix = isPOSIX ? text(block, 345, 155) : []
    return prefix.isEmpty ? name : prefix + [UInt8(ascii: "/")] + name
  }

  /// The magic of ustar ("ustar\0" "00") or of GNU tar ("ustar  \0").
  static func hasKnownMagic(_ block: UnsafeRawBufferPointer) -> Bool {
    let magic = Array(block[257..<265])
    return magic == Array("ustar\u{0}00".utf8) || magic == Array("ustar  \u{0}".utf8)
  }

  private static func octal(_ value: Int, width: Int) -> [UInt8] {
    // width − 1 digits, then NUL.
    var digits = [UInt8](repeating: UInt8(ascii: "0"), count: width - 1)
    var v = value
    var i = width - 2
    while v > 0 && i >= 0 {
      digits[i] = UInt8(ascii: "0") + UInt8(v & 7)
      v >>= 3
      i -= 1
    }
    return digits + [0]
  }

  private static func put(_ bytes: [UInt8], at offset: Int, in block: inout [UInt8]) {
    for (i, byte) in bytes.enumerated() { block[offset + i] = byte }
  }
}
