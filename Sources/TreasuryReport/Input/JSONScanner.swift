#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A JSON syntax error at a byte offset of the scanned text.
public struct JSONSyntaxError: Error, Sendable {
  public var message: String
  public var offset: Int
}

/// Where a decoded string's bytes are: in the scanned text, or (when it had
/// escapes) in the scanner's scratch buffer.
public struct StringSpan: Sendable, Equatable {
  public var offset: Int
  public var count: Int
  public var inScratch: Bool
}

/// The result of reading a JSON number where an integer is expected.
public enum IntegerToken: Equatable, Sendable {
  case integer(Int64)
  /// A valid JSON number that is not an integer (`12.5`, `1e3`); the offsets of its text.
  case notInteger(start: Int, end: Int)
  /// An integer outside Int64.
  case outOfRange(start: Int, end: Int)
}

/// A validating JSON tokenizer over bytes in memory.
///
/// It never builds a tree: callers read the values they want and `skipValue`
/// the rest, which still checks their syntax (strings, escapes, UTF-8, numbers).
/// It counts newlines between tokens so that multi-line documents get line numbers.
public struct JSONScanner {
  public static let maximumDepth = 256

  public let base: UnsafePointer<UInt8>
  public let end: Int
  public var position: Int
  /// The line the scanner is on, counting from the line number it started at.
  public var line: Int
  public var scratch: [UInt8] = []

  public init(base: UnsafePointer<UInt8>, count: Int, line: Int = 1) {
    self.base = base
    self.end = count
    self.position = 0
    self.line = line
  }

  @inline(__always) public var atEnd: Bool { position >= end }

  /// The current byte, or 0 at the end.
  @inline(__always) public func peek() -> UInt8 {
    position < end ? base[position] : 0
  }

  @inline(__always) public mutating func skipWhitespace() {
    while position < end {
      let c = base[position]
      if c == 0x20 || c == 0x09 || c == 0x0D {
        position += 1
      } else if c == 0x0A {
        line += 1
        position += 1
      } else {
        return
      }
    }
  }

  @inline(__always) public mutating func expect(_ byte: UInt8, _ what: StaticString) throws(JSONSyntaxError) {
    guard position < end, base[position] == byte else { throw fail("expected \(what)") }
    position += 1
  }

  /// An error at the current position, naming what was found there.
  public func fail(_ expectation: String) -> JSONSyntaxError {
    JSONSyntaxError(message: "\(expectation), found \(describeHere())", offset: position)
  }

  func describeHere() -> String {
    guard position < end else { return "the end of the line" }
    let c = base[position]
    if c >= 0x21 && c < 0x7F { return "'\(Character(UnicodeScalar(c)))'" }
    let hex = Array("0123456789ABCDEF".utf8)
    return "byte 0x" + String(decoding: [hex[Int(c >> 4)], hex[Int(c & 15)]], as: UTF8.self)
  }

  // MARK: Objects and arrays

  /// Reads `{` and returns false, or `{}` and returns true (empty object).
  @inline(__always) public mutating func beginObject() throws(JSONSyntaxError) -> Bool {
    try expect(UInt8(ascii: "{"), "'{'")
    skipWhitespace()
    if peek() == UInt8(ascii: "}") {
      position += 1
      return true
    }
    return false
  }

  /// After a member's value: true if another member follows (`,`), false at `}`.
  @inline(__always) public mutating func nextMember() throws(JSONSyntaxError) -> Bool {
    skipWhitespace()
    guard position < end else { throw fail("expected ',' or '}' after an object member") }
    let c = base[position]
    position += 1
    if c == UInt8(ascii: ",") {
      skipWhitespace()
      return true
    }
    if c == UInt8(ascii: "}") { return false }
    position -= 1
    throw fail("expected ',' or '}' after an object member")
  }

  /// Reads a member name and the `:` after it; returns where its bytes are.
  @inline(__always) public mutating func readKey() throws(JSONSyntaxError) -> StringSpan {
    guard peek() == UInt8(ascii: "\"") else { throw fail("expected a member name in double quotes") }
    let key = try readString()
    skipWhitespace()
    try expect(UInt8(ascii: ":"), "':' after a member name")
    skipWhitespace()
    return key
  }

  /// Reads a member name and the `:` after it, as words to match against known names.
  ///
  /// A plain name is found with one to three word loads that are also its
  /// match words; names with escapes or non-ASCII take the general path.
  @inline(__always)
  public mutating func readKeyWords() throws(JSONSyntaxError) -> KeyWords {
    guard position < end, base[position] == UInt8(ascii: "\"") else {
      throw fail("expected a member name in double quotes")
    }
    let start = position + 1
    let raw = UnsafeRawPointer(base)
    if start + 24 <= end {
      let w0 = raw.loadUnaligned(fromByteOffset: start, as: UInt64.self)
      let s0 = Self.specialBytes(w0)
      var count = -1
      var words = KeyWords(count: 0, w0: 0, w1: 0, w2: 0)
      if s0 != 0 {
        let n = s0.trailingZeroBitCount >> 3
        if base[start + n] == UInt8(ascii: "\"") {
          count = n
          words = KeyWords(count: n, w0: n == 0 ? 0 : w0 & ((1 &<< UInt64(n * 8)) &- 1), w1: 0, w2: 0)
        }
      } else {
        let w1 = raw.loadUnaligned(fromByteOffset: start + 8, as: UInt64.self)
        let s1 = Self.specialBytes(w1)
        let s2 = s1 != 0 ? 0 : Self.specialBytes(raw.loadUnaligned(fromByteOffset: start + 16, as: UInt64.self))
        let n = s1 != 0 ? 8 + s1.trailingZeroBitCount >> 3 : (s2 != 0 ? 16 + s2.trailingZeroBitCount >> 3 : -1)
        if n >= 0 && base[start + n] == UInt8(ascii: "\"") {
          count = n
          let last = n == 8 ? 0 : raw.loadUnaligned(fromByteOffset: start + n - 8, as: UInt64.self)
          words = KeyWords(count: n, w0: w0, w1: last, w2: n > 16 ? w1 : 0)
        }
      }
      if count >= 0 {
        position = start + count + 1
        skipWhitespace()
        try expect(UInt8(ascii: ":"), "':' after a member name")
        skipWhitespace()
        return words
      }
    }
    return KeyWords(try readKey(), in: self)
  }

  /// Reads a member name like `readKeyWords`, trying first the exact bytes `"name":` that stood at this
  /// position in the previous object of the same kind (`guess`), and updating the guess.
  @inline(__always)
  public mutating func readKeyWords(guess slot: UnsafeMutablePointer<KeyGuess>) throws(JSONSyntaxError) -> KeyWords {
    let guess = slot.pointee
    if guess.length > 0 && position + 24 <= end {
      let p = UnsafeRawPointer(base + position)
      let first = p.loadUnaligned(as: UInt64.self)
      let matched: Bool
      if guess.length <= 8 {
        matched = first & guess.mask == guess.w0
      } else {
        let last = p.loadUnaligned(fromByteOffset: guess.length - 8, as: UInt64.self)
        let middle = guess.length > 16 ? p.loadUnaligned(fromByteOffset: 8, as: UInt64.self) : 0
        matched = first == guess.w0 && last == guess.w1 && middle == guess.w2
      }
      if matched {
        position += guess.length
        skipWhitespace()
        return guess.words
      }
    }
    let start = position
    let words = try readKeyWords()
    // Learn the guess only from a plain `"name":` with no whitespace and no escapes.
    let length = words.count + 3
    if position - start == length && length <= 24 && start + 24 <= end {
      let p = UnsafeRawPointer(base + start)
      let first = p.loadUnaligned(as: UInt64.self)
      if length <= 8 {
        let mask: UInt64 = length == 8 ? ~0 : (1 &<< UInt64(length * 8)) &- 1
        slot.pointee = KeyGuess(length: length, mask: mask, w0: first & mask, w1: 0, w2: 0, words: words)
      } else {
        slot.pointee = KeyGuess(
          length: length, mask: ~0, w0: first, w1: p.loadUnaligned(fromByteOffset: length - 8, as: UInt64.self),
          w2: length > 16 ? p.loadUnaligned(fromByteOffset: 8, as: UInt64.self) : 0, words: words)
      }
    } else {
      slot.pointee = KeyGuess()
    }
    return words
  }

  /// Reads `[` and returns false, or `[]` and returns true (empty array).
  @inline(__always) public mutating func beginArray() throws(JSONSyntaxError) -> Bool {
    try expect(UInt8(ascii: "["), "'['")
    skipWhitespace()
    if peek() == UInt8(ascii: "]") {
      position += 1
      return true
    }
    return false
  }

  /// After an element: true if another element follows (`,`), false at `]`.
  @inline(__always) public mutating func nextElement() throws(JSONSyntaxError) -> Bool {
    skipWhitespace()
    guard position < end else { throw fail("expected ',' or ']' after an array element") }
    let c = base[position]
    position += 1
    if c == UInt8(ascii: ",") {
      skipWhitespace()
      return true
    }
    if c == UInt8(ascii: "]") { return false }
    position -= 1
    throw fail("expected ',' or ']' after an array element")
  }

  // MARK: Literals

  /// True if the next token is `null` (and consumes it).
  @inline(__always) public mutating func readNullIfPresent() throws(JSONSyntaxError) -> Bool {
    guard peek() == UInt8(ascii: "n") else { return false }
    try literal("null")
    return true
  }

  /// Reads `true` or `false`; nil (consuming nothing) if the next value is something else.
  @inline(__always) public mutating func readBool() throws(JSONSyntaxError) -> Bool? {
    switch peek() {
    case UInt8(ascii: "t"):
      try literal("true")
      return true
    case UInt8(ascii: "f"):
      try literal("false")
      return false
    default:
      return nil
    }
  }

  mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
    let n = word.utf8CodeUnitCount
    guard end - position >= n, memcmp(base + position, word.utf8Start, n) == 0 else {
      throw JSONSyntaxError(
        message: "expected a JSON value (\(word)?), found \(describeHere())", offset: position)
    }
    position += n
  }

  // MARK: Strings

  /// Reads a string at the current `"`; escaped strings are decoded into `scratch`.
  public mutating func readString() throws(JSONSyntaxError) -> StringSpan {
    let open = position
    if let close = try plainStringEnd() {
      position = close + 1
      return StringSpan(offset: open + 1, count: close - open - 1, inScratch: false)
    }
    return try readEscapedString(open: open, firstEscape: position)
  }

  /// Skips a string at the current `"`, checking escapes and UTF-8.
  public mutating func skipString() throws(JSONSyntaxError) {
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

  // MARK: Numbers

  /// Reads a JSON number, reporting whether it is an integer that fits Int64.
  ///
  /// Up to 18 digits cannot overflow, so they take a loop without checks;
  /// anything else (fractions, exponents, long numbers, bad syntax) goes to
  /// `readNumberChecked`.
  @inline(__always)
  public mutating func readInteger() throws(JSONSyntaxError) -> IntegerToken {
    var i = position
    var negative = false
    if i < end && base[i] == UInt8(ascii: "-") {
      negative = true
      i += 1
    }
    let first = i
    var value: Int64 = 0
    while i < end {
      let digit = base[i] &- UInt8(ascii: "0")
      guard digit < 10 else { break }
      value = value &* 10 &+ Int64(digit)
      i += 1
    }
    let count = i - first
    let next = i < end ? base[i] : 0
    guard count > 0, count <= 18, count == 1 || base[first] != UInt8(ascii: "0"),
      next != UInt8(ascii: "."), next != UInt8(ascii: "e"), next != UInt8(ascii: "E")
    else { return try readNumberChecked() }
    position = i
    return .integer(negative ? -value : value)
  }

  /// The full JSON number grammar, with overflow checks.
  private mutating func readNumberChecked() throws(JSONSyntaxError) -> IntegerToken {
    let start = position
    var i = position
    var negative = false
    if i < end && base[i] == UInt8(ascii: "-") {
      negative = true
      i += 1
    }
    guard i < end, base[i] >= UInt8(ascii: "0"), base[i] <= UInt8(ascii: "9") else {
      position = i
      throw fail("expected a digit")
    }
    // Accumulate as a negative number: Int64.min has no positive counterpart.
    var value: Int64 = 0
    var overflow = false
    if base[i] == UInt8(ascii: "0") {
      i += 1
      if i < end, base[i] >= UInt8(ascii: "0"), base[i] <= UInt8(ascii: "9") {
        position = i
        throw fail("numbers must not have leading zeros; expected ',' or the end of the number")
      }
    } else {
      while i < end {
        let c = base[i]
        guard c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") else { break }
        let (m, o1) = value.multipliedReportingOverflow(by: 10)
        let (s, o2) = m.subtractingReportingOverflow(Int64(c - UInt8(ascii: "0")))
        if o1 || o2 { overflow = true }
        value = s
        i += 1
      }
    }
    var isInteger = true
    if i < end && base[i] == UInt8(ascii: ".") {
      isInteger = false
      i += 1
      guard i < end, base[i] >= UInt8(ascii: "0"), base[i] <= UInt8(ascii: "9") else {
        position = i
        throw fail("expected a digit after '.'")
      }
      while i < end, base[i] >= UInt8(ascii: "0"), base[i] <= UInt8(ascii: "9") { i += 1 }
    }
    if i < end && (base[i] == UInt8(ascii: "e") || base[i] == UInt8(ascii: "E")) {
      isInteger = false
      i += 1
      if i < end && (base[i] == UInt8(ascii: "+") || base[i] == UInt8(ascii: "-")) { i += 1 }
      guard i < end, base[i] >= UInt8(ascii: "0"), base[i] <= UInt8(ascii: "9") else {
        position = i
        throw fail("expected a digit in the exponent")
      }
      while i < end, base[i] >= UInt8(ascii: "0"), base[i] <= UInt8(ascii: "9") { i += 1 }
    }
    position = i
    if !isInteger { return .notInteger(start: start, end: i) }
    if overflow { return .outOfRange(start: start, end: i) }
    if negative { return .integer(value) }
    guard value != Int64.min else { return .outOfRange(start: start, end: i) }
    return .integer(-value)
  }

  // MARK: Skipping

  /// Skips any JSON value, checking its syntax.
  public mutating func skipValue(depth: Int = 0) throws(JSONSyntaxError) {
    guard depth < Self.maximumDepth else {
      throw fail("values are nested more than \(Self.maximumDepth) deep")
    }
    switch peek() {
    case UInt8(ascii: "\""):
      try skipString()
    case UInt8(ascii: "{"):
      if try beginObject() { return }
      repeat {
        _ = try readKey()
        try skipValue(depth: depth + 1)
      } while try nextMember()
    case UInt8(ascii: "["):
      if try beginArray() { return }
      repeat {
        try skipValue(depth: depth + 1)
      } while try nextElement()
    case UInt8(ascii: "t"):
      try literal("true")
    case UInt8(ascii: "f"):
      try literal("false")
    case UInt8(ascii: "n"):
      try literal("null")
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      _ = try readInteger()
    default:
      throw fail("expected a JSON value")
    }
  }

  /// The bytes of a span, in the text or in `scratch`.
  public func withBytes<R>(_ span: StringSpan, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    if span.inScratch {
      return try scratch.withUnsafeBytes { all in
        try body(UnsafeRawBufferPointer(rebasing: all[span.offset..<span.offset + span.count]))
      }
    }
    return try body(UnsafeRawBufferPointer(start: base + span.offset, count: span.count))
  }

  public func string(_ span: StringSpan) -> String {
    withBytes(span) { String(decoding: $0, as: UTF8.self) }
  }

  /// The text between two offsets, for messages.
  public func text(from: Int, to: Int) -> String {
    String(decoding: UnsafeBufferPointer(start: base + from, count: max(0, to - from)), as: UTF8.self)
  }
}

/// Loads member names as little-endian 64-bit words, so that a name is matched with one to three compares.
///
/// The constants below are the names' bytes (e.g. 0x6469 is "id"): for up to
/// eight bytes one masked word, for up to 16 the first and last eight, for up
/// to 24 also the middle eight.
public struct KeyWords {
  let count: Int
  let w0: UInt64
  let w1: UInt64
  let w2: UInt64

  init(count: Int, w0: UInt64, w1: UInt64, w2: UInt64) {
    self.count = count
    self.w0 = w0
    self.w1 = w1
    self.w2 = w2
  }

  @inline(__always)
  init(_ key: StringSpan, in s: borrowing JSONScanner) {
    count = key.count
    if !key.inScratch && key.offset + 8 <= s.end && count <= 24 {
      let p = UnsafeRawPointer(s.base + key.offset)
      if count <= 8 {
        w0 = p.loadUnaligned(as: UInt64.self) & (count == 8 ? ~0 : (1 &<< UInt64(count * 8)) &- 1)
        w1 = 0
        w2 = 0
      } else {
        w0 = p.loadUnaligned(as: UInt64.self)
        w1 = p.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
        w2 = count > 16 ? p.loadUnaligned(fromByteOffset: 8, as: UInt64.self) : 0
      }
    } else {
      // Escaped names, names at the very end of the text, long names: the same words, byte by byte.
      var words: (UInt64, UInt64, UInt64) = (0, 0, 0)
      s.withBytes(key) { bytes in
        func word(_ from: Int) -> UInt64 {
          var w: UInt64 = 0
          for i in 0..<min(8, max(0, bytes.count - from)) { w |= UInt64(bytes[from + i]) << UInt64(i * 8) }
          return w
        }
        if bytes.count <= 8 {
          words = (word(0), 0, 0)
        } else if bytes.count <= 24 {
          words = (word(0), word(bytes.count - 8), bytes.count > 16 ? word(8) : 0)
        }
      }
      (w0, w1, w2) = count <= 24 ? words : (0, 0, 0)
    }
  }
}

/// The exact bytes of a member name with its quotes and colon (`"amount":`), remembered from the previous
/// object at the same member position, with the name's match words.
public struct KeyGuess {
  var length = 0
  var mask: UInt64 = 0
  var w0: UInt64 = 0
  var w1: UInt64 = 0
  var w2: UInt64 = 0
  var words = KeyWords(count: 0, w0: 0, w1: 0, w2: 0)

  public init() {}

  init(length: Int, mask: UInt64, w0: UInt64, w1: UInt64, w2: UInt64, words: KeyWords) {
    self.length = length
    self.mask = mask
    self.w0 = w0
    self.w1 = w1
    self.w2 = w2
    self.words = words
  }
}
