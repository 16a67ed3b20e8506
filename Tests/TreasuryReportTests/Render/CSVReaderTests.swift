import Foundation
import Testing

@testable import TreasuryArchive
@testable import TreasuryJob
@_spi(Inlining) @testable import TreasuryModel
@testable import TreasuryRender

@Suite struct CSVReaderTests {
  static let rows = [
    ["plain", "with, comma", "say \"hi\"", "two\nlines", "=SUM(A1)", "\rcr", "Café 🚀", ""],
    ["-12.50", "", "\"", ",", "\r\n", "x", "y", "z"],
  ]

  /// Writes rows with `CSVWriter`, then reads them back in pieces of `step` bytes.
  private func roundTrip(step: Int) throws -> (records: [[String]], malformed: Int?) {
    let target = MemoryTarget()
    var writer = CSVWriter(target: target, header: ["a", "b", "c", "d", "e", "f", "g", "h"])
    for row in Self.rows {
      for cell in row { writer.text(cell) }
      writer.endRow()
    }
    try writer.flush()
    var reader = CSVReader()
    var records: [[String]] = []
    var offset = 0
    let bytes = target.bytes
    while offset < bytes.count {
      let end = min(bytes.count, offset + step)
      bytes[offset..<end].withUnsafeBytes { reader.feed($0) { records.append($0) } }
      offset = end
    }
    reader.finish { records.append($0) }
    return (records, reader.malformedRecord)
  }

  @Test(arguments: [1, 2, 3, 7, 64, 4096])
  func readsBackWhatTheWriterWrites(step: Int) throws {
    let (records, malformed) = try roundTrip(step: step)
    #expect(malformed == nil)
    #expect(records.count == 3)
    // Formula guards stay in the cell: they are part of what was written.
    #expect(records[0] == ["a", "b", "c", "d", "e", "f", "g", "h"])
    #expect(records[1] == ["plain", "with, comma", "say \"hi\"", "two\nlines", "'=SUM(A1)", "'\rcr", "Café 🚀", ""])
    #expect(records[2] == ["'-12.50", "", "\"", ",", "'\r\n", "x", "y", "z"])
  }

  @Test func marksQuotesInsideUnquotedCells() {
    var reader = CSVReader()
    var records: [[String]] = []
    Array("a,b\r\nx\"y,z\r\n".utf8).withUnsafeBytes { reader.feed($0) { records.append($0) } }
    reader.finish { records.append($0) }
    #expect(records == [["a", "b"], ["x\"y", "z"]])
    #expect(reader.malformedRecord == 2)
  }

  @Test(arguments: [
    ("0.00", 2, Int64(0)), ("-1234.56", 2, -123_456), ("1234", 0, 1234), ("-0.001", 3, -1),
    ("92233720368547758.07", 2, Int64.max),
  ])
  func parsesCanonicalAmounts(text: String, digits: Int, minor: Int64) {
    #expect(DecimalAmount.parse(text, digits: digits) == minor)
    #expect(DecimalAmount.string(minor, digits: digits) == text)
  }

  @Test(arguments: [
    "", "-", "1.5", "1.500", "+1.00", "01.00", "-0.00", "1,00", "1.0a", " 1.00", "92233720368547758.08",
  ])
  func refusesAnythingElse(text: String) {
    #expect(DecimalAmount.parse(text, digits: 2) == nil)
  }
}
