#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Where a decoded string's bytes are: in the scanned text, or (when it had
/// escapes) in the scanner's scratch buffer.
package struct StringSpan: Sendable, Equatable {
  package var offset: Int
  package var count: Int
  package var inScratch: Bool
}

/// The result of reading a JSON number where an integer is expected.
package enum IntegerToken: Equatable, Sendable {
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
package struct JSONScanner {
  package static let maximumDepth = 256

  package let base: UnsafePointer<UInt8>
  package let end: Int
  package var position: Int
  /// The line the scanner is on, counting from the line number it started at.
  package var line: Int
  package var scratch: [UInt8] = []

  package init(base: UnsafePointer<UInt8>, count: Int, line: Int = 1) {
    self.base = base
    self.end = count
    self.position = 0
    self.line = line
  }

  @inline(__always) package var atEnd: Bool { position >= end }

  /// The current byte, or 0 at the end.
  @inline(__always) package func peek() -> UInt8 {
    position < end ? base[position] : 0
  }

  @inline(__always) package mutating func skipWhitespace() {
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

  @inline(__always) package mutating func expect(_ byte: UInt8, _ what: StaticString) throws(JSONSyntaxError) {
    guard position < end, base[position] == byte else { throw fail("expected \(what)") }
    position += 1
  }

  /// An error at the current position, naming what was found there.
  package func fail(_ expectation: String) -> JSONSyntaxError {
    JSONSyntaxError(message: "\(expectation), found \(describeHere())", offset: position)
  }

  func describeHere() -> String {
    guard position < end else { return "the end of the line" }
    return Self.describe(base[position])
  }

  /// A byte as messages show it: quoted when printable, else in hex.
  static func describe(_ c: UInt8) -> String {
    if c >= 0x21 && c < 0x7F { return "'\(Character(UnicodeScalar(c)))'" }
    let hex = Array("0123456789ABCDEF".utf8)
    return "byte 0x" + String(decoding: [hex[Int(c >> 4)], hex[Int(c & 15)]], as: UTF8.self)
  }

  // MARK: Objects and arrays

  /// Reads `{` and returns false, or `{}` and returns true (empty object).
  @inline(__always) package mutating func beginObject() throws(JSONSyntaxError) -> Bool {
    try expect(UInt8(ascii: "{"), "'{'")
    skipWhitespace()
    if peek() == UInt8(ascii: "}") {
      position += 1
      return true
    }
    return false
  }

  /// After a member's value: true if another member follows (`,`), false at `}`.
  @inline(__always) package mutating func nextMember() throws(JSONSyntaxError) -> Bool {
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
  @inline(__always) package mutating func readKey() throws(JSONSyntaxError) -> StringSpan {
    guard peek() == UInt8(ascii: "\"") else { throw fail("expected a member name in double quotes") }
    let key = try readString()
    skipWhitespace()
    try expect(UInt8(ascii: ":"), "':' after a member name")
    skipWhitespace()
    return key
  }

  /// Reads `[` and returns false, or `[]` and returns true (empty array).
  @inline(__always) package mutating func beginArray() throws(JSONSyntaxError) -> Bool {
    try expect(UInt8(ascii: "["), "'['")
    skipWhitespace()
    if peek() == UInt8(ascii: "]") {
      position += 1
      return true
    }
    return false
  }

  /// After an element: true if another element follows (`,`), false at `]`.
  @inline(__always) package mutating func nextElement() throws(JSONSyntaxError) -> Bool {
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
  @inline(__always) package mutating func readNullIfPresent() throws(JSONSyntaxError) -> Bool {
    guard peek() == UInt8(ascii: "n") else { return false }
    try literal("null")
    return true
  }

  /// Reads `true` or `false`; nil (consuming nothing) if the next value is something else.
  @inline(__always) package mutating func readBool() throws(JSONSyntaxError) -> Bool? {
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

  // MARK: Skipping

  /// Skips any JSON value, checking its syntax.
  package mutating func skipValue(depth: Int = 0) throws(JSONSyntaxError) {
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
  package func withBytes<R>(_ span: StringSpan, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    if span.inScratch {
      return try scratch.withUnsafeBytes { all in
        try body(UnsafeRawBufferPointer(rebasing: all[span.offset..<span.offset + span.count]))
      }
    }
    return try body(UnsafeRawBufferPointer(start: base + span.offset, count: span.count))
  }

  package func string(_ span: StringSpan) -> String {
    withBytes(span) { String(decoding: $0, as: UTF8.self) }
  }

  /// A string value for a message: its first 100 bytes, then "…" (a value may be megabytes long).
  package func shown(_ span: StringSpan) -> String {
    withBytes(span) { bytes in
      let kept = InvalidLine.prefixLength(bytes, atMost: 100)
      let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[0..<kept]), as: UTF8.self)
      return kept < bytes.count ? text + "…" : text
    }
  }

  /// The text between two offsets, for messages.
  package func text(from: Int, to: Int) -> String {
    String(decoding: UnsafeBufferPointer(start: base + from, count: max(0, to - from)), as: UTF8.self)
  }
}
