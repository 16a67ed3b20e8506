#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension JSONScanner {
  // MARK: Strings

  /// Reads a string at the current `"`; escaped strings are decoded into `scratch`.
  package mutating func readString() throws(JSONSyntaxError) -> StringSpan {
    let open = position
    if let close = try plainStringEnd() {
      position = close + 1
      return StringSpan(offset: open + 1, count: close - open - 1, inScratch: false)
    }
    return try readEscapedString(open: open, firstEscape: position)
  }

  /// Skips a string at the current `"`, checking escapes and UTF-8.
  package mutating func skipString() throws(JSONSyntaxError) {
    let open = position
    if let close = try plainStringEnd() {
      position = close + 1
      return
    }
    let mark = scratch.count
    _ = try readEscapedString(open: open, firstEscape: position)
    scratch.removeSubrange(mark...)
  }

  /// Scans the string at the current `"` for its closing quote.
  ///
  /// Returns the quote's offset for a string without escapes (its UTF-8
  /// checked), or nil with `position` moved to the first backslash.
  /// Eight bytes are examined per step: most of a dump is strings.
  @inline(__always)
  private mutating func plainStringEnd() throws(JSONSyntaxError) -> Int? {
    let open = position
    var i = position + 1
    var sawHighBit = false
    let raw = UnsafeRawPointer(base)
    while true {
      let c: UInt8
      if i + 8 <= end {
        let special = Self.specialBytes(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
        if special == 0 {
          i += 8
          continue
        }
        i += special.trailingZeroBitCount >> 3
        c = base[i]
      } else if i < end {
        c = base[i]
      } else {
        position = end
        throw JSONSyntaxError(message: "unterminated string", offset: open)
      }
      if c == UInt8(ascii: "\"") {
        if sawHighBit { try validateUTF8(from: open + 1, to: i) }
        return i
      }
      if c == UInt8(ascii: "\\") {
        position = i
        return nil
      }
      if c < 0x20 {
        position = i
        throw fail("control characters must be escaped inside a string")
      }
      if c >= 0x80 { sawHighBit = true }
      i += 1
    }
  }

  /// The high bit of each byte that is a quote, a backslash, below 0x20 or non-ASCII; 0 when none is.
  ///
  /// Exact per byte (no carries between bytes), so the lowest set bit names the first such byte.
  @inline(__always)
  static func specialBytes(_ v: UInt64) -> UInt64 {
    let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
    let highs: UInt64 = 0x8080_8080_8080_8080
    @inline(__always) func zeroBytes(_ x: UInt64) -> UInt64 { ~(((x & low7) &+ low7) | x | low7) }
    let quote = zeroBytes(v ^ 0x2222_2222_2222_2222)
    let backslash = zeroBytes(v ^ 0x5C5C_5C5C_5C5C_5C5C)
    // (b & 0x7F) + 0x60 stays below 0x80 exactly when b < 0x20.
    let control = ~((v & low7) &+ 0x6060_6060_6060_6060) & ~v & highs
    return quote | backslash | control | (v & highs)
  }

  /// Decodes a string with escapes into `scratch`; `open` is its `"`, `firstEscape` its first backslash.
  private mutating func readEscapedString(open: Int, firstEscape: Int) throws(JSONSyntaxError) -> StringSpan {
    let start = scratch.count
    try validateUTF8(from: open + 1, to: firstEscape)
    scratch.append(contentsOf: UnsafeBufferPointer(start: base + open + 1, count: firstEscape - open - 1))
    var i = firstEscape
    var runStart = i
    while i < end {
      let c = base[i]
      if c == UInt8(ascii: "\"") {
        try flushRun(runStart, i)
        position = i + 1
        return StringSpan(offset: start, count: scratch.count - start, inScratch: true)
      }
      if c < 0x20 {
        position = i
        throw fail("control characters must be escaped inside a string")
      }
      guard c == UInt8(ascii: "\\") else {
        i += 1
        continue
      }
      try flushRun(runStart, i)
      guard i + 1 < end else { break }
      let e = base[i + 1]
      i += 2
      switch e {
      case UInt8(ascii: "\""): scratch.append(0x22)
      case UInt8(ascii: "\\"): scratch.append(0x5C)
      case UInt8(ascii: "/"): scratch.append(0x2F)
      case UInt8(ascii: "b"): scratch.append(0x08)
      case UInt8(ascii: "f"): scratch.append(0x0C)
      case UInt8(ascii: "n"): scratch.append(0x0A)
      case UInt8(ascii: "r"): scratch.append(0x0D)
      case UInt8(ascii: "t"): scratch.append(0x09)
      case UInt8(ascii: "u"):
        var scalar = try hex4(at: i)
        i += 4
        if scalar >= 0xD800 && scalar <= 0xDBFF {
          guard i + 6 <= end, base[i] == UInt8(ascii: "\\"), base[i + 1] == UInt8(ascii: "u") else {
            throw JSONSyntaxError(
              message: "a \\u escape for a high surrogate must be followed by a low surrogate",
              offset: i - 6)
          }
          let low = try hex4(at: i + 2)
          guard low >= 0xDC00 && low <= 0xDFFF else {
            throw JSONSyntaxError(
              message: "a \\u escape for a high surrogate must be followed by a low surrogate",
              offset: i)
          }
          scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
          i += 6
        } else if scalar >= 0xDC00 && scalar <= 0xDFFF {
          throw JSONSyntaxError(
            message: "a \\u escape has a low surrogate with no high surrogate before it", offset: i - 6)
        }
        appendUTF8(scalar)
      default:
        throw JSONSyntaxError(message: "invalid escape '\\\(Character(UnicodeScalar(e)))' in a string", offset: i - 2)
      }
      runStart = i
    }
    position = end
    throw JSONSyntaxError(message: "unterminated string", offset: open)
  }

  private mutating func flushRun(_ from: Int, _ to: Int) throws(JSONSyntaxError) {
    guard to > from else { return }
    try validateUTF8(from: from, to: to)
    scratch.append(contentsOf: UnsafeBufferPointer(start: base + from, count: to - from))
  }

  private func hex4(at i: Int) throws(JSONSyntaxError) -> UInt32 {
    guard i + 4 <= end else {
      throw JSONSyntaxError(message: "a \\u escape needs four hex digits", offset: i)
    }
    var value: UInt32 = 0
    for k in 0..<4 {
      let c = base[i + k]
      let digit: UInt32
      switch c {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(c - UInt8(ascii: "0"))
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(c - UInt8(ascii: "a") + 10)
      case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(c - UInt8(ascii: "A") + 10)
      default: throw JSONSyntaxError(message: "a \\u escape needs four hex digits", offset: i)
      }
      value = value << 4 | digit
    }
    return value
  }

  private mutating func appendUTF8(_ scalar: UInt32) {
    switch scalar {
    case 0..<0x80:
      scratch.append(UInt8(scalar))
    case 0x80..<0x800:
      scratch.append(UInt8(0xC0 | (scalar >> 6)))
      scratch.append(UInt8(0x80 | (scalar & 0x3F)))
    case 0x800..<0x10000:
      scratch.append(UInt8(0xE0 | (scalar >> 12)))
      scratch.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
      scratch.append(UInt8(0x80 | (scalar & 0x3F)))
    default:
      scratch.append(UInt8(0xF0 | (scalar >> 18)))
      scratch.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
      scratch.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
      scratch.append(UInt8(0x80 | (scalar & 0x3F)))
    }
  }

  /// Checks that bytes [from, to) are well-formed UTF-8 (no overlongs, no surrogates).
  func validateUTF8(from: Int, to: Int) throws(JSONSyntaxError) {
    var i = from
    while i < to {
      let c = base[i]
      if c < 0x80 {
        i += 1
        continue
      }
      let length: Int
      var scalar: UInt32
      switch c {
      case 0xC2...0xDF:
        length = 2
        scalar = UInt32(c & 0x1F)
      case 0xE0...0xEF:
        length = 3
        scalar = UInt32(c & 0x0F)
      case 0xF0...0xF4:
        length = 4
        scalar = UInt32(c & 0x07)
      default:
        throw JSONSyntaxError(message: "invalid UTF-8 in a string", offset: i)
      }
      guard i + length <= to else {
        throw JSONSyntaxError(message: "invalid UTF-8 in a string", offset: i)
      }
      for k in 1..<length {
        let cont = base[i + k]
        guard cont & 0xC0 == 0x80 else {
          throw JSONSyntaxError(message: "invalid UTF-8 in a string", offset: i)
        }
        scalar = scalar << 6 | UInt32(cont & 0x3F)
      }
      let minimum: UInt32 = length == 3 ? 0x800 : (length == 4 ? 0x10000 : 0x80)
      guard scalar >= minimum, scalar <= 0x10FFFF, !(0xD800...0xDFFF).contains(scalar) else {
        throw JSONSyntaxError(message: "invalid UTF-8 in a string", offset: i)
      }
      i += length
    }
  }
}
