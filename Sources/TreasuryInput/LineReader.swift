#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Splits a byte source into lines, reading in large blocks and handing out views into its buffer.
///
/// A line's bytes exclude the `\n` and a trailing `\r`; a UTF-8 byte order mark
/// at the start of a line is skipped: at the start of the source, and where one
/// file ends and the next begins in a stream (`cat a.jsonl b.jsonl`, when b
/// starts with one). Only a line's first byte is looked at, so this costs one
/// comparison per line. A view is valid until the next call.
package final class LineReader {
  private let source: ByteSource
  private let storage: ReadBuffer
  private let limit: Int
  private var buffer: UnsafeMutableRawPointer { storage.pointer }
  private var start = 0
  private var end = 0
  private var scanned = 0
  private var ended = false
  /// The number of the line last returned (1-based).
  package private(set) var lineNumber: Int

  /// Reads `source`, whose first line is line `firstLine` of its file; a line longer than `limit` bytes is an error.
  package init(
    source: ByteSource, buffer: ReadBuffer = ReadBuffer(), firstLine: Int = 1,
    limit: Int = InputLimits.maximumValueLength
  ) {
    self.source = source
    storage = buffer
    self.limit = limit
    lineNumber = firstLine - 1
  }

  /// The next line, or nil at the end of the source.
  package func next() throws(InputError) -> UnsafeRawBufferPointer? {
    while true {
      if let newline = findNewline() {
        let line = cut(to: newline)
        start = newline + 1
        scanned = start
        return line
      }
      if ended {
        guard start < end else { return nil }
        let line = cut(to: end)
        start = end
        scanned = end
        return line
      }
      try fill()
    }
  }

  /// The line from `start` to `lineEnd`, without a trailing CR or a leading byte order mark.
  private func cut(to lineEnd: Int) -> UnsafeRawBufferPointer {
    var first = start
    var last = lineEnd
    if last > first && buffer.load(fromByteOffset: last - 1, as: UInt8.self) == 13 { last -= 1 }
    if last - first >= 3 && buffer.load(fromByteOffset: first, as: UInt8.self) == 0xEF
      && buffer.load(fromByteOffset: first + 1, as: UInt8.self) == 0xBB
      && buffer.load(fromByteOffset: first + 2, as: UInt8.self) == 0xBF
    {
      first += 3
    }
    lineNumber += 1
    return UnsafeRawBufferPointer(start: buffer + first, count: last - first)
  }

  private func findNewline() -> Int? {
    guard scanned < end else { return nil }
    guard let hit = memchr(buffer + scanned, 10, end - scanned) else {
      scanned = end
      return nil
    }
    return buffer.distance(to: hit)
  }

  /// Moves the unfinished line to the front, grows the buffer when it is full, and reads more.
  private func fill() throws(InputError) {
    guard let (moved, n) = try storage.refill(start: start, end: end, from: source, limit: limit) else {
      throw .lineTooLong(path: source.path, line: lineNumber + 1, limit: limit)
    }
    scanned -= moved
    end -= moved
    start = 0
    if n == 0 {
      ended = true
    } else {
      end += n
    }
  }
}
