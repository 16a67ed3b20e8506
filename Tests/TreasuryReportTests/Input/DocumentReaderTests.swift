import Foundation
import Testing

@testable import TreasuryInput
@testable import TreasuryJob

/// `DocumentReader` cuts a multi-value JSON text into its values without parsing them, across any read sizes.
@Suite struct DocumentReaderTests {
  /// Every piece of `text` read `chunk` bytes at a time through a 16-byte buffer, as `LINE:TEXT`; and the reader.
  static func pieces(_ text: String, chunk: Int) throws -> ([String], DocumentReader) {
    let reader = DocumentReader(source: ChunkedSource(Array(text.utf8), chunk: chunk), buffer: ReadBuffer(capacity: 16))
    var pieces: [String] = []
    while let piece = try reader.next() {
      pieces.append("\(piece.line):\(String(decoding: piece.bytes, as: UTF8.self))")
    }
    return (pieces, reader)
  }

  /// The reader hands out each value in order with its first line, whatever the read sizes and buffer size.
  @Test(arguments: [1, 3, 64, 4096])
  func piecesAreTheSameForAnyChunking(chunk: Int) throws {
    let text = "\u{FEFF}{\"a\": \"}\\\"{[\"}\n[ {\"b\":\n[1]} ,{}\n]  \"s\\\"\" {\n}"
    let (pieces, reader) = try Self.pieces(text, chunk: chunk)
    #expect(pieces == ["1:{\"a\": \"}\\\"{[\"}", "2:{\"b\":\n[1]}", "3:{}", "4:\"s\\\"\"", "4:{\n}"])
    #expect(reader.lines == 5)
  }

  /// `cat a.json b.json` when b starts with a byte order mark: the mark where a line starts between values is
  /// skipped as at the start of the file, whatever the read sizes.
  @Test(arguments: [1, 2, 3, 64, 4096])
  func byteOrderMarkBetweenValuesAtALineStart(chunk: Int) throws {
    let text = "\u{FEFF}{\"a\": 1}\n\u{FEFF}[{\"b\": 2}]\n\u{FEFF}{}\n{} \u{FEFF}{}"
    let (pieces, _) = try Self.pieces(text, chunk: chunk)
    #expect(pieces.prefix(4) == ["1:{\"a\": 1}", "2:{\"b\": 2}", "3:{}", "4:{}"], "chunk \(chunk)")
    // Not at a line start: a piece of its own, which the decoder then refuses as not JSON.
    #expect(Array(pieces.dropFirst(4)) == ["4:\u{FEFF}", "4:{}"], "chunk \(chunk)")
  }

  /// A value longer than the reader's limit stops the read at the limit, naming the line it starts on.
  @Test func aValueLongerThanTheLimitIsRefused() throws {
    let text = "{}\n\n{\"x\": \"" + String(repeating: "a", count: 10_000) + "\"}"
    let reader = DocumentReader(
      source: ChunkedSource(Array(text.utf8), chunk: 100), buffer: ReadBuffer(capacity: 16),
      limit: 4096)
    #expect(try reader.next()?.line == 1)
    #expect(throws: InputError.valueTooLong(path: "chunked", line: 3, limit: 4096)) { try reader.next() }
  }
}
