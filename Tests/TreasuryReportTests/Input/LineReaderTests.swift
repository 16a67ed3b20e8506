import Foundation
import Testing

@testable import TreasuryInput
@testable import TreasuryJob

/// A source that hands out its bytes in fixed-size pieces, so that lines (or JSON values) are cut across reads.
final class ChunkedSource: ByteSource {
  let path = "chunked"
  private let bytes: [UInt8]
  private let chunk: Int
  private var offset = 0

  init(_ bytes: [UInt8], chunk: Int) {
    self.bytes = bytes
    self.chunk = chunk
  }

  func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
    let n = min(chunk, buffer.count, bytes.count - offset)
    guard n > 0 else { return 0 }
    for i in 0..<n { buffer[i] = bytes[offset + i] }
    offset += n
    return n
  }
}

private func lines(_ bytes: [UInt8], chunk: Int, block: Int) throws -> [(Int, String)] {
  let reader = LineReader(source: ChunkedSource(bytes, chunk: chunk), buffer: ReadBuffer(capacity: block))
  var out: [(Int, String)] = []
  while let line = try reader.next() {
    out.append((reader.lineNumber, String(decoding: line, as: UTF8.self)))
  }
  return out
}

@Suite struct LineReaderTests {
  static let text: [UInt8] =
    [0xEF, 0xBB, 0xBF]
    + Array("first line\r\nsecond\n\n{\"long\":\"\(String(repeating: "x", count: 100))\"}\r\nlast".utf8)

  static let expected = [
    (1, "first line"), (2, "second"), (3, ""), (4, "{\"long\":\"\(String(repeating: "x", count: 100))\"}"), (5, "last"),
  ]

  /// Every chunk size from 1 byte to the whole text, with buffers smaller and larger than a line.
  @Test(arguments: [1, 2, 3, 5, 7, 16, 64, 127, 1000])
  func splitsLinesCutAcrossReads(chunk: Int) throws {
    for block in [16, 32, 4096] {
      let got = try lines(Self.text, chunk: chunk, block: block)
      #expect(got.map(\.0) == Self.expected.map(\.0), "chunk \(chunk), block \(block)")
      #expect(got.map(\.1) == Self.expected.map(\.1), "chunk \(chunk), block \(block)")
    }
  }

  @Test func handlesEmptyAndNewlineOnlyInput() throws {
    #expect(try lines([], chunk: 4, block: 16).isEmpty)
    #expect(try lines(Array("\n".utf8), chunk: 4, block: 16).map(\.1) == [""])
    #expect(try lines(Array("a\n".utf8), chunk: 1, block: 16).map(\.1) == ["a"])
  }

  /// `cat a.jsonl b.jsonl` when both start with a byte order mark: each mark is skipped where its line starts,
  /// whatever the read sizes (a mark cut across two reads included); one inside a line is the line's text.
  @Test(arguments: [1, 2, 3, 4, 5, 7, 64])
  func byteOrderMarkAtAnyLineStart(chunk: Int) throws {
    let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
    let text: [UInt8] =
      bom + Array("a\r\n".utf8) + bom + Array("b\n".utf8) + bom + Array("\n".utf8) + Array("c".utf8) + bom
      + Array("d\n".utf8) + bom
    for block in [16, 4096] {
      let got = try lines(text, chunk: chunk, block: block)
      #expect(got.map(\.1) == ["a", "b", "", "c\u{FEFF}d", ""], "chunk \(chunk), block \(block)")
      #expect(got.map(\.0) == [1, 2, 3, 4, 5], "chunk \(chunk), block \(block)")
    }
  }
}
