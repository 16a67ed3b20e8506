#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Cuts a `.json` dump (any number of JSON values, each on any number of lines) into its values, reading in blocks.
///
/// A value's end is found from its brackets and strings alone, without checking
/// what is inside, so a value with a bad escape or number still has a known end
/// and costs only itself: the scanner checks each value on its own. The elements
/// of a top-level array are values of their own, so one big array is read one
/// element at a time. Memory holds one value at most (`limit` bytes); a view is
/// valid until the next call.
package final class DocumentReader {
  package struct Piece {
    package enum Kind: Equatable {
      /// A top-level value.
      case value
      /// An element of a top-level array.
      case element
      /// A value whose strings or brackets never close: the rest of the input.
      case unterminated
      /// Something out of place between values; says what was expected there (nothing is skipped silently).
      case misplaced(String)
    }

    package var bytes: UnsafeRawBufferPointer
    package var kind: Kind
    /// Line and column (1-based, in bytes) of the first byte.
    package var line: Int
    package var column: Int
  }

  private enum Mode {
    case top
    /// After `[`: an element or `]`.
    case arrayStart
    /// After an element: `,` or `]`.
    case afterElement
    /// After `,`: an element.
    case afterComma
  }

  private let source: ByteSource
  private let storage: ReadBuffer
  private let limit: Int
  private var buffer: UnsafeMutablePointer<UInt8> { storage.pointer.assumingMemoryBound(to: UInt8.self) }
  /// Unconsumed bytes are `[start, end)`; `position` is the next byte to look at.
  private var start = 0
  private var end = 0
  private var position = 0
  private var ended = false
  private var mode = Mode.top
  /// The line `position` is on, and where that line starts (for columns; may lie before the buffer's start).
  package private(set) var line = 1
  private var lineStart = 0
  private var lastByte: UInt8 = 10
  private var sawBOMCheck = false
  /// Where the top-level array began, for a message if it never ends.
  private var arrayLine = 0

  // The value being delimited.
  private var inValue = false
  private var valueStart = 0
  private var valueLine = 0
  private var valueColumn = 0
  private var valueIsElement = false
  private var depth = 0
  private var inString = false
  /// Where the open string's content starts (to count the backslashes before a quote).
  private var stringFrom = 0
  private var scalar = false

  /// Reads `source`; a value longer than `limit` bytes is an error.
  package init(source: ByteSource, buffer: ReadBuffer = ReadBuffer(), limit: Int = InputLimits.maximumValueLength) {
    self.source = source
    storage = buffer
    self.limit = limit
  }

  /// Lines in the input (after the last piece: all of them), counted as the line reader counts lines.
  package var lines: Int { line - 1 + (lastByte == 10 ? 0 : 1) }

  /// The next value (or misplaced text), or nil at the end of the input.
  package func next() throws(InputError) -> Piece? {
    start = position
    if !sawBOMCheck { try skipByteOrderMark() }
    while true {
      if inValue {
        if let valueEnd = scanValue() { return finishValue(at: valueEnd) }
        if ended {
          inValue = false
          start = end
          let bytes = UnsafeRawBufferPointer(start: buffer + valueStart, count: end - valueStart)
          // A number or literal ends with the input; brackets or a string left open do not.
          let kind: Piece.Kind = scalar && !inString ? (valueIsElement ? .element : .value) : .unterminated
          // An open array is part of what never ended: one message says it.
          mode = kind == .unterminated ? .top : (valueIsElement ? .afterElement : mode)
          return Piece(bytes: bytes, kind: kind, line: valueLine, column: valueColumn)
        }
        start = valueStart
        try fill(valueLine: valueLine)
        continue
      }
      guard position < end else {
        if ended {
          if mode != .top {
            mode = .top
            let text =
              "expected ',' or ']': the array opened on line \(arrayLine) does not end before the end of the file"
            return Piece(
              bytes: UnsafeRawBufferPointer(start: nil, count: 0), kind: .misplaced(text), line: line,
              column: position - lineStart + 1)
          }
          return nil
        }
        start = position
        try fill(valueLine: line)
        continue
      }
      let c = buffer[position]
      if c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0A {
        if c == 0x0A { newline(at: position) }
        position += 1
        start = position
        continue
      }
      switch mode {
      case .top:
        if c == 0xEF && position == lineStart {
          // A byte order mark where a line starts between values: what `cat a.json b.json` gives when b starts
          // with one. Skipped as at the start of the file.
          if end - position < 3 && !ended {
            start = position
            try fill(valueLine: line)
            continue
          }
          if end - position >= 3 && buffer[position + 1] == 0xBB && buffer[position + 2] == 0xBF {
            position += 3
            start = position
            lineStart = position
            continue
          }
        }
        if c == UInt8(ascii: "[") {
          mode = .arrayStart
          arrayLine = line
          position += 1
          start = position
          continue
        }
        beginValue(element: false)
      case .arrayStart, .afterComma:
        if c == UInt8(ascii: "]") {
          let wasComma = mode == .afterComma
          mode = .top
          position += 1
          if wasComma { return misplaced("expected a value after ','", at: position - 1, consumed: false) }
          start = position
          continue
        }
        if c == UInt8(ascii: ",") {
          position += 1
          return misplaced(
            "expected a value after '\(mode == .afterComma ? "," : "[")'", at: position - 1, consumed: true)
        }
        beginValue(element: true)
      case .afterElement:
        if c == UInt8(ascii: ",") {
          mode = .afterComma
          position += 1
          start = position
          continue
        }
        if c == UInt8(ascii: "]") {
          mode = .top
          position += 1
          start = position
          continue
        }
        // Taken as the next element, as if the comma were there: reported, and nothing after it is lost.
        mode = .afterComma
        return misplaced("expected ',' or ']' after an array element", at: position, consumed: false)
      }
    }
  }

  // MARK: Values

  private func beginValue(element: Bool) {
    inValue = true
    valueStart = position
    valueLine = line
    valueColumn = position - lineStart + 1
    valueIsElement = element
    depth = 0
    inString = false
    let c = buffer[position]
    scalar = c != UInt8(ascii: "{") && c != UInt8(ascii: "[") && c != UInt8(ascii: "\"")
    if scalar && Self.isDelimiter(c) {
      // A stray `}`, `]`, `,` or `:`: a one-byte value, which the scanner rejects with its own words.
      scalar = false
      depth = -1
    }
  }

  private func finishValue(at valueEnd: Int) -> Piece {
    inValue = false
    position = valueEnd
    if valueIsElement { mode = .afterElement }
    let bytes = UnsafeRawBufferPointer(start: buffer + valueStart, count: valueEnd - valueStart)
    return Piece(bytes: bytes, kind: valueIsElement ? .element : .value, line: valueLine, column: valueColumn)
  }

  /// Advances through the open value; its end (one past its last byte) once found, else nil at the buffer's end.
  private func scanValue() -> Int? {
    if depth < 0 { return valueStart + 1 }
    if scalar {
      while position < end {
        let c = buffer[position]
        if c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0A || Self.isDelimiter(c) || c == UInt8(ascii: "{")
          || c == UInt8(ascii: "[") || c == UInt8(ascii: "\"")
        {
          return position
        }
        position += 1
      }
      return nil
    }
    while position < end {
      if inString {
        guard let close = closingQuote() else { return nil }
        position = close + 1
        inString = false
        if depth == 0 { return position }
        continue
      }
      let c = buffer[position]
      switch c {
      case UInt8(ascii: "\""):
        inString = true
        stringFrom = position + 1
      case UInt8(ascii: "{"), UInt8(ascii: "["):
        depth += 1
      case UInt8(ascii: "}"), UInt8(ascii: "]"):
        depth -= 1
        if depth == 0 { return position + 1 }
      case 0x0A:
        newline(at: position)
      default:
        break
      }
      position += 1
    }
    return nil
  }

  /// The quote closing the open string, counting the lines it spans; nil (all bytes looked at) if not in the buffer.
  private func closingQuote() -> Int? {
    var from = position
    while from < end {
      guard let hit = memchr(buffer + from, Int32(UInt8(ascii: "\"")), end - from) else { break }
      let quote = buffer.distance(to: hit.assumingMemoryBound(to: UInt8.self))
      var backslashes = 0
      while quote - backslashes - 1 >= stringFrom && buffer[quote - backslashes - 1] == UInt8(ascii: "\\") {
        backslashes += 1
      }
      if backslashes % 2 == 0 {
        countLines(from: position, to: quote)
        return quote
      }
      from = quote + 1
    }
    countLines(from: position, to: end)
    position = end
    return nil
  }

  private func countLines(from: Int, to: Int) {
    var p = from
    while p < to, let hit = memchr(buffer + p, 0x0A, to - p) {
      let at = buffer.distance(to: hit.assumingMemoryBound(to: UInt8.self))
      newline(at: at)
      p = at + 1
    }
  }

  private func newline(at offset: Int) {
    line += 1
    lineStart = offset + 1
  }

  private func misplaced(_ expectation: String, at offset: Int, consumed: Bool) -> Piece {
    if consumed { start = position }
    let what = JSONScanner.describe(buffer[offset])
    return Piece(
      bytes: UnsafeRawBufferPointer(start: buffer + offset, count: consumed ? 1 : 0),
      kind: .misplaced("\(expectation), found \(what)"), line: line, column: offset - lineStart + 1)
  }

  @inline(__always)
  private static func isDelimiter(_ c: UInt8) -> Bool {
    c == UInt8(ascii: "}") || c == UInt8(ascii: "]") || c == UInt8(ascii: ",") || c == UInt8(ascii: ":")
  }

  // MARK: Reading

  /// Reads more after the unconsumed bytes, moving them to the front; a value that fills `limit` is an error.
  private func fill(valueLine: Int) throws(InputError) {
    guard let (moved, n) = try storage.refill(start: start, end: end, from: source, limit: limit) else {
      throw .valueTooLong(path: source.path, line: valueLine, limit: limit)
    }
    start -= moved
    end -= moved
    position -= moved
    lineStart -= moved
    valueStart -= moved
    stringFrom -= moved
    if n == 0 {
      ended = true
    } else {
      end += n
      lastByte = buffer[end - 1]
    }
  }

  private func skipByteOrderMark() throws(InputError) {
    while end - start < 3 && !ended { try fill(valueLine: 1) }
    sawBOMCheck = true
    if end - start >= 3 && buffer[start] == 0xEF && buffer[start + 1] == 0xBB && buffer[start + 2] == 0xBF {
      position = start + 3
      start = position
      lineStart = position
    }
  }
}
