import Testing

@testable import TreasuryInput

/// Runs `body` with a scanner over `text`.
private func scanning<R>(_ text: String, _ body: (inout JSONScanner) throws -> R) rethrows -> R {
  var bytes = Array(text.utf8)
  return try bytes.withUnsafeMutableBufferPointer { buffer in
    var scanner = JSONScanner(base: UnsafePointer(buffer.baseAddress!), count: buffer.count)
    return try body(&scanner)
  }
}

private func decodeString(_ json: String) throws -> String {
  try scanning(json) { s in
    let span = try s.readString()
    #expect(s.atEnd)
    return s.string(span)
  }
}

private func syntaxError(_ json: String, _ body: (inout JSONScanner) throws -> Void) -> String? {
  do {
    try scanning(json, body)
    return nil
  } catch let error as JSONSyntaxError {
    return error.message
  } catch {
    return "\(error)"
  }
}

@Suite struct JSONScannerTests {
  @Test(arguments: [
    (#""plain""#, "plain"),
    (#""a\"b\\c\/d""#, "a\"b\\c/d"),
    (#""tab\there\nline\r\b\f""#, "tab\there\nline\r\u{8}\u{C}"),
    (#""caf\u00e9""#, "café"),
    (#""\u20AC and \u20ac""#, "€ and €"),
    (#""\ud83d\ude80 rocket""#, "🚀 rocket"),
    (#""raw UTF-8: Łódź 🚚""#, "raw UTF-8: Łódź 🚚"),
    (#""\u0000nul""#, "\u{0}nul"),
    (#""""#, ""),
  ])
  func decodesStrings(json: String, expected: String) throws {
    #expect(try decodeString(json) == expected)
  }

  @Test(arguments: [
    (#""\ud83d alone""#, "a \\u escape for a high surrogate must be followed by a low surrogate"),
    (#""\ude80""#, "a \\u escape has a low surrogate with no high surrogate before it"),
    (#""\uZZZZ""#, "a \\u escape needs four hex digits"),
    (#""\x""#, "invalid escape '\\x' in a string"),
    ("\"tab\there\"", "control characters must be escaped inside a string, found byte 0x09"),
    (#""never closed"#, "unterminated string"),
  ])
  func rejectsBadStrings(json: String, message: String) {
    #expect(syntaxError(json) { s in _ = try s.readString() } == message)
    // Skipping checks exactly as much as reading does.
    #expect(syntaxError(json) { s in try s.skipString() } == message)
  }

  @Test(arguments: [
    [0x22, 0xC3, 0x28, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xC0, 0xAF, 0x22], [0x22, 0xF8, 0x22],
  ])
  func rejectsInvalidUTF8(bytes: [UInt8]) {
    var copy = bytes
    let message = copy.withUnsafeMutableBufferPointer { buffer -> String? in
      var s = JSONScanner(base: UnsafePointer(buffer.baseAddress!), count: buffer.count)
      do throws(JSONSyntaxError) {
        try s.skipString()
        return nil
      } catch {
        return error.message
      }
    }
    #expect(message == "invalid UTF-8 in a string")
  }

  @Test(arguments: [
    ("0", IntegerToken.integer(0)),
    ("-0", .integer(0)),
    ("1234", .integer(1234)),
    ("-1000", .integer(-1000)),
    ("9223372036854775807", .integer(.max)),
    ("-9223372036854775808", .integer(.min)),
    ("9223372036854775808", .outOfRange(start: 0, end: 19)),
    ("-9223372036854775809", .outOfRange(start: 0, end: 20)),
    ("12.5", .notInteger(start: 0, end: 4)),
    ("1e3", .notInteger(start: 0, end: 3)),
    ("-2E-2", .notInteger(start: 0, end: 5)),
    ("100.0", .notInteger(start: 0, end: 5)),
  ])
  func readsIntegers(text: String, expected: IntegerToken) throws {
    #expect(try scanning(text) { try $0.readInteger() } == expected)
  }

  @Test(arguments: [
    ("01", "numbers must not have leading zeros; expected ',' or the end of the number, found '1'"),
    ("-", "expected a digit, found the end of the line"),
    ("1.", "expected a digit after '.', found the end of the line"),
    ("1e", "expected a digit in the exponent, found the end of the line"),
  ])
  func rejectsBadNumbers(text: String, message: String) {
    #expect(syntaxError(text) { s in _ = try s.readInteger() } == message)
  }

  @Test func skipsNestedUnknownValues() throws {
    let json = #"{"a":[1,{"b":[true,false,null,"x\"y",{"c":{}}]},[],-2.5e10],"d":{"e":[[[]]]}} tail"#
    try scanning(json) { s in
      try s.skipValue()
      s.skipWhitespace()
      #expect(s.position == json.utf8.count - 4)
    }
  }

  @Test(arguments: [
    (#"{"a":1,}"#, "expected a member name in double quotes, found '}'"),
    (#"{"a" 1}"#, "expected ':' after a member name, found '1'"),
    (#"{"a":1 "b":2}"#, "expected ',' or '}' after an object member, found '\"'"),
    (#"[1 2]"#, "expected ',' or ']' after an array element, found '2'"),
    (#"{"a":tru}"#, "expected a JSON value (true?), found 't'"),
    (#"{"a":}"#, "expected a JSON value, found '}'"),
  ])
  func rejectsBadStructure(json: String, message: String) {
    #expect(syntaxError(json) { s in try s.skipValue() } == message)
  }

  @Test func limitsNesting() {
    let deep = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
    #expect(syntaxError(deep) { s in try s.skipValue() } == "values are nested more than 256 deep, found '['")
  }

  @Test func countsLinesBetweenTokens() throws {
    try scanning("{\r\n  \"a\" :\n\n 1 }") { s in
      _ = try s.beginObject()
      #expect(s.line == 2)
      _ = try s.readKey()
      #expect(s.line == 4)
    }
  }

  /// The word-at-a-time scan must name exactly the first byte that ends plain text.
  @Test func findsTheFirstSpecialByteOfAWord() {
    func special(_ b: UInt8) -> Bool { b == 0x22 || b == 0x5C || b < 0x20 || b >= 0x80 }
    func naive(_ bytes: [UInt8]) -> Int? { bytes.firstIndex(where: special) }
    func word(_ bytes: [UInt8]) -> UInt64 {
      bytes.enumerated().reduce(0) { $0 | UInt64($1.element) << UInt64($1.offset * 8) }
    }
    func fast(_ bytes: [UInt8]) -> Int? {
      let mask = JSONScanner.specialBytes(word(bytes))
      return mask == 0 ? nil : mask.trailingZeroBitCount >> 3
    }
    for position in 0..<8 {
      for value in 0...255 {
        var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 8)
        bytes[position] = UInt8(value)
        #expect(fast(bytes) == naive(bytes), "byte \(value) at \(position)")
      }
    }
    var state: UInt64 = 0x1234_5678
    for _ in 0..<20_000 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      let bytes = (0..<8).map { UInt8(truncatingIfNeeded: state >> UInt64($0 * 8)) }
      #expect(fast(bytes) == naive(bytes))
    }
  }

  /// A member name's bytes are remembered whatever whitespace follows its colon (`json.dumps` writes `": "`),
  /// and a remembered name is used only where the same bytes stand.
  @Test(arguments: [
    (#"{"id":"x",                        "amount":1}"#, 5),
    (#"{"id": "x",                       "amount":1}"#, 5),
    (#"{"id":\#n  "x",                     "amount":1}"#, 5),
    (#"{"id" : "x",                      "amount":1}"#, 0),
    (#"{"i\u0064": "x",                  "amount":1}"#, 0),
    (#"{"status_transitions": {},        "amount":1}"#, 21),
  ])
  func learnsMemberNameGuesses(text: String, length: Int) throws {
    let slot = UnsafeMutablePointer<KeyGuess>.allocate(capacity: 1)
    slot.initialize(to: KeyGuess())
    defer { slot.deallocate() }
    try scanning(text) { s in
      s.position = 1
      let words = try s.readKeyWords(guess: slot)
      #expect(slot.pointee.length == length)
      let value = s.position
      // Read again where the name stands, through the guess: the same words, the same place.
      s.position = 1
      let again = try s.readKeyWords(guess: slot)
      #expect((again.count, again.w0, again.w1, again.w2) == (words.count, words.w0, words.w1, words.w2))
      #expect(s.position == value)
      // Elsewhere the guess must not match.
      s.position = text.utf8.count - 11
      let other = try s.readKeyWords(guess: slot)
      #expect(other.count == 6)
    }
  }
}
