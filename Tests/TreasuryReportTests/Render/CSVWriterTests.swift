import Foundation
import Testing

@_spi(Inlining) @testable import TreasuryModel
@testable import TreasuryRender

@Suite struct CSVWriterTests {
  private func render(_ cells: (inout CSVWriter) -> Void) throws -> String {
    let target = MemoryTarget()
    var csv = CSVWriter(target: target, header: ["a", "b"], flushAt: 8)
    cells(&csv)
    csv.endRow()
    try csv.flush()
    return target.text
  }

  @Test(arguments: [
    ("plain", "plain"),
    ("with, comma", "\"with, comma\""),
    ("say \"hi\"", "\"say \"\"hi\"\"\""),
    ("two\nlines", "\"two\nlines\""),
    ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
    ("+1 555", "'+1 555"),
    ("-5 refund", "'-5 refund"),
    ("@cmd", "'@cmd"),
    ("\ttabbed", "'\ttabbed"),
    ("\rcr", "\"'\rcr\""),
    ("=HYPERLINK(\"x\",\"y\")", "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\""),
    ("Café 🚀", "Café 🚀"),
    ("", ""),
  ])
  func quotesAndGuardsTextCells(cell: String, written: String) throws {
    let text = try render { $0.text(cell) }
    #expect(text == "a,b\r\n" + written + "\r\n")
  }

  @Test func numericCellsAreNotGuarded() throws {
    let text = try render { csv in
      csv.amount(-123456, digits: 2)
      csv.integer(-3)
    }
    #expect(text == "a,b\r\n-1234.56,-3\r\n")
  }

  @Test func countsDataRowsNotTheHeader() throws {
    let target = MemoryTarget()
    var csv = CSVWriter(target: target, header: ["x"])
    for i in 0..<3 {
      csv.integer(i)
      csv.endRow()
    }
    try csv.flush()
    #expect(csv.rows == 3)
    #expect(TestSupport.csv(target.text).count == 4)
  }
}

@Suite struct DecimalAmountTests {
  @Test(arguments: [
    (Int64(0), 2, "0.00"), (5, 2, "0.05"), (-5, 2, "-0.05"), (123456, 2, "1234.56"), (-100, 2, "-1.00"),
    (1234, 0, "1234"), (-1234, 3, "-1.234"), (Int64.min, 2, "-92233720368547758.08"),
    (Int64.max, 2, "92233720368547758.07"), (1_000_000_000_000_000, 2, "10000000000000.00"),
  ])
  func formatsMinorUnits(minor: Int64, digits: Int, text: String) {
    #expect(DecimalAmount.string(minor, digits: digits) == text)
  }

  @Test func currencyDigits() {
    #expect(Money.minorDigits(currency: "usd") == 2)
    #expect(Money.minorDigits(currency: "jpy") == 0)
    #expect(Money.minorDigits(currency: "kwd") == 3)
  }
}

@Suite struct LocalTimeFormatterTests {
  @Test(arguments: [
    ("UTC", Int64(1_767_225_600), "2026-01-01T00:00:00+00:00"),
    ("America/New_York", 1_772_953_199, "2026-03-08T01:59:59-05:00"),
    ("America/New_York", 1_772_953_200, "2026-03-08T03:00:00-04:00"),
    ("America/New_York", 1_775_005_200, "2026-03-31T21:00:00-04:00"),
    ("Asia/Kolkata", 0, "1970-01-01T05:30:00+05:30"),
    ("Pacific/Chatham", 1_767_225_600, "2026-01-01T13:45:00+13:45"),
  ])
  func formatsLocalTimeWithOffset(zone: String, time: Int64, text: String) throws {
    let formatter = LocalTimeFormatter(zone: try #require(TimeZone(identifier: zone)))
    #expect(formatter.string(time) == text)
  }

  /// The cached offset must follow the zone across a transition, in either direction.
  @Test func cacheFollowsTransitions() throws {
    let formatter = LocalTimeFormatter(zone: try #require(TimeZone(identifier: "America/New_York")))
    let times: [Int64] = [1_772_900_000, 1_772_953_199, 1_772_953_200, 1_772_900_000, 1_794_000_000, 1_772_953_200]
    let offsets = times.map(formatter.offset(at:))
    #expect(offsets == [-18000, -18000, -14400, -18000, -18000, -14400])
  }
}
