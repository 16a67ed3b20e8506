import Foundation
import Testing

@testable import TreasuryArchive
@testable import TreasuryJob

/// The CSV reader's bounds: a record longer than `recordLimit` or wider than `cellLimit` stops it, naming the
/// record and the line it starts on, and nothing after it is emitted (issue 11, item 9).
@Suite struct CSVReaderLimitTests {
  /// Records emitted and the reader, after feeding `bytes` in pieces of `step`.
  private func read(_ bytes: [UInt8], step: Int = 4096) -> (records: [[String]], reader: CSVReader) {
    var reader = CSVReader()
    var records: [[String]] = []
    var offset = 0
    while offset < bytes.count {
      let end = min(bytes.count, offset + step)
      bytes[offset..<end].withUnsafeBytes { reader.feed($0) { records.append($0) } }
      offset = end
    }
    reader.finish { records.append($0) }
    return (records, reader)
  }

  @Test(arguments: [1000, 65536])
  func aLongCellStopsTheReaderAtItsLine(step: Int) {
    // Record 3 starts on line 4: a quoted line break in record 2 makes lines and records differ.
    let head = Array("a,b\r\n\"two\nlines\",x\r\n".utf8)
    let long = [UInt8](repeating: UInt8(ascii: "z"), count: CSVReader.recordLimit + 1)
    let (records, reader) = read(head + long + Array("\r\nafter,it\r\n".utf8), step: step)
    #expect(records == [["a", "b"], ["two\nlines", "x"]])
    #expect(reader.overLimit == CSVReader.Overflow(limit: .bytes, record: 3, line: 4))
    #expect(reader.overLimit?.message.hasPrefix("line 4 (record 3) is longer than 16 MiB") == true)
  }

  @Test func aRecordOfManySmallCellsIsBoundedToo() {
    let cells = [String](repeating: "12345678", count: CSVReader.recordLimit / 9 + 1).joined(separator: ",")
    let (records, reader) = read(Array("h\n\(cells)\n".utf8))
    #expect(records == [["h"]])
    #expect(reader.overLimit?.limit == .cells)
    #expect(reader.overLimit?.line == 2)
  }

  @Test func aRecordJustUnderTheLimitsIsRead() {
    // 1024 cells and CRLF: the limit in bytes.
    let filler = String(repeating: "q", count: CSVReader.recordLimit - 2 - (CSVReader.cellLimit - 1))
    let row = [filler] + [String](repeating: "", count: CSVReader.cellLimit - 1)
    let text = row.joined(separator: ",") + "\r\n"
    #expect(text.utf8.count == CSVReader.recordLimit)
    let (records, reader) = read(Array(text.utf8) + Array("next\r\n".utf8))
    #expect(reader.overLimit == nil)
    #expect(records.count == 2 && records[0].count == CSVReader.cellLimit && records[1] == ["next"])
  }

  @Test func widerThanTheCellLimitStops() {
    let row = [String](repeating: "", count: CSVReader.cellLimit + 1).joined(separator: ",")
    let (records, reader) = read(Array("h\r\n\(row)\r\n".utf8))
    #expect(records == [["h"]])
    #expect(reader.overLimit == CSVReader.Overflow(limit: .cells, record: 2, line: 2))
  }
}
