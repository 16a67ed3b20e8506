import Foundation
import Testing

@_spi(Inlining) @testable import TreasuryModel
@testable import TreasuryRender

private let mar1: Int64 = 1_772_323_200  // 2026-03-01T00:00:00Z
private let mar5: Int64 = 1_772_668_800

@Suite struct OFXDocumentTests {
  /// Whole-hour offsets keep local time, with the colon ofxparse needs; offsets with minutes (which libofx and
  /// ofxparse read as decimal hours, ofxtools as hours.minutes) give way to UTC.
  @Test func datesAreLocalWithWholeHourOffsetsElseUTC() throws {
    let utc = LocalTimeFormatter(zone: try #require(TimeZone(identifier: "UTC")))
    let newYork = LocalTimeFormatter(zone: try #require(TimeZone(identifier: "America/New_York")))
    #expect(OFXDocument.dateTime(mar5, utc) == "20260305000000.000[0:GMT]")
    #expect(OFXDocument.dateTime(mar5, newYork) == "20260304190000.000[-5:]")
    // After the switch to daylight time on March 8.
    #expect(OFXDocument.dateTime(mar5 + 10 * 86_400, newYork) == "20260314200000.000[-4:]")
    #expect(OFXDocument.dateTime(mar5 - 3_600 * 5 - 60, newYork) == "20260304135900.000[-5:]")
    for zone in ["Asia/Kolkata", "Asia/Kathmandu", "Australia/Adelaide", "America/St_Johns"] {
      let formatter = LocalTimeFormatter(zone: try #require(TimeZone(identifier: zone)))
      #expect(OFXDocument.dateTime(mar5 + 61, formatter) == "20260305000101.000[0:GMT]", "\(zone)")
    }
  }

  /// A date without a time: the local day, which every reader dates the same.
  @Test func datesWithoutATimeAreTheLocalDay() throws {
    let adelaide = LocalTimeFormatter(zone: try #require(TimeZone(identifier: "Australia/Adelaide")))
    let newYork = LocalTimeFormatter(zone: try #require(TimeZone(identifier: "America/New_York")))
    #expect(OFXDocument.date(mar5 - 1, adelaide) == "20260305")
    #expect(OFXDocument.date(mar5 - 1, newYork) == "20260304")
  }

  @Test func institutionNamesAreShortPrintableASCII() {
    #expect(OFXDocument.institutionProblem("Stripe Treasury") == nil && OFXDocument.institutionProblem("1234") == nil)
    #expect(OFXDocument.institutionProblem(#"Acme & "Co" <x>"#) == nil)
    for bad in ["", " x", "x ", String(repeating: "a", count: 33), "Café", "a\tb"] {
      #expect(OFXDocument.institutionProblem(bad) != nil, "\(bad)")
    }
  }

  @Test func accountIDsFitTwentyTwoCharacters() {
    #expect(OFXDocument.accountID("fa_1NorthwindOps000001") == "fa_1NorthwindOps000001")
    #expect(OFXDocument.accountID("fa_1Pgc7BB7WZ01zgkWxDkCj857") == "gc7BB7WZ01zgkWxDkCj857")
  }

  @Test(arguments: [
    ("received_credit", 100, "CREDIT"), ("received_credit", -100, "DEBIT"), ("received_debit", -100, "DIRECTDEBIT"),
    ("received_debit", 100, "CREDIT"), ("outbound_payment", -100, "PAYMENT"), ("outbound_payment", 100, "CREDIT"),
    ("outbound_transfer", -100, "XFER"), ("inbound_transfer", 100, "XFER"), ("issuing_authorization", -100, "POS"),
    ("interest_payout", 100, "INT"), ("credit_reversal", -100, "DEBIT"), ("debit_reversal", 100, "CREDIT"),
    ("other", -1, "DEBIT"), ("a_future_flow", 1, "CREDIT"),
  ])
  func transactionTypes(flowType: String, amount: Int64, expected: String) {
    #expect(OFXTransactionType.code(flowType: flowType, amount: amount) == expected)
  }

  @Test func windows1252() {
    #expect(Windows1252.encode("Café") == [0x43, 0x61, 0x66, 0xE9])
    #expect(Windows1252.encode("Cafe\u{301}") == [0x43, 0x61, 0x66, 0xE9])
    #expect(Windows1252.encode("€ “x” — ™") == [0x80, 0x20, 0x93, 0x78, 0x94, 0x20, 0x97, 0x20, 0x99])
    #expect(Windows1252.encode("日本\n\u{7}💸") == Array("??  ?".utf8))
  }

  private func render(
    _ description: String, version: OFXDocument.Version, routing: String = "084106768",
    document: OFXDocument? = nil
  ) throws -> String {
    let lines = [
      financialAccountLine(routing: routing),
      Lines.transaction("trxn_a", amount: -2550, created: Int(mar5), posted: Int(mar5), description: description),
      Lines.entry("trxne_a", transaction: "trxn_a", at: Int(mar5), cash: -2550),
    ]
    let (statements, symbols) = try CamtSupport.statements(lines, from: mar1, through: mar5)
    let target = MemoryTarget()
    let count = try (document ?? OFXDocument(version: version)).render(
      try #require(statements.first), symbols: symbols, time: LocalTimeFormatter(zone: TimeZone(identifier: "UTC")!),
      asOf: .max, to: target)
    #expect(count == 1)
    return version == .v1 ? String(decoding: target.bytes.map { $0 < 0x80 ? $0 : 0x3F }, as: UTF8.self) : target.text
  }

  @Test func sgmlEscapesMarkupAndCutsTheName() throws {
    let text = try render(#"Fish & Chips <Ltd> and a rather long tail to cut"#, version: .v1)
    #expect(text.hasPrefix("OFXHEADER:100\r\nDATA:OFXSGML\r\nVERSION:102\r\n"))
    #expect(text.contains("<NAME>Fish &amp; Chips &lt;Ltd&gt; and a rather\r\n"))
    #expect(text.contains("<MEMO>Fish &amp; Chips &lt;Ltd&gt; and a rather long tail to cut\r\n"))
    #expect(text.contains("<TRNAMT>-25.50\r\n<FITID>trxn_a\r\n"))
    #expect(text.contains("<BANKID>084106768\r\n<ACCTID>fa_1\r\n<ACCTTYPE>CHECKING\r\n"))
    #expect(text.contains("<LEDGERBAL>\r\n<BALAMT>-25.50\r\n<DTASOF>20260331\r\n</LEDGERBAL>"))
    #expect(text.contains("<AVAILBAL>\r\n<BALAMT>-25.50\r\n<DTASOF>20260331\r\n</AVAILBAL>"))
    #expect(text.contains("<LANGUAGE>ENG\r\n<FI>\r\n<ORG>Stripe Treasury\r\n<FID>stripe-treasury\r\n</FI>\r\n</SONRS>"))
    #expect(!text.contains("BANKTRANLISTP"))
  }

  /// libofx's DTD has no `&quot;` (it drops the quotes): `"` is written as itself in both versions, while
  /// `& < >` are escaped; the FI block takes the given ORG and FID.
  @Test(arguments: [OFXDocument.Version.v1, .v2])
  func quotesAreWrittenAsThemselves(version: OFXDocument.Version) throws {
    let document = OFXDocument(version: version, organization: #"Acme & "Co""#, institutionID: "1234")
    let text = try render(#"He said \"hi\" & 'left' <now>"#, version: version, document: document)
    #expect(!text.contains("&quot;") && !text.contains("&apos;") && !text.contains("&#34;"))
    let memo = #"He said "hi" &amp; 'left' &lt;now&gt;"#
    #expect(text.contains(version == .v1 ? "<MEMO>\(memo)\r\n" : "<MEMO>\(memo)</MEMO>"))
    #expect(text.contains(version == .v1 ? #"<ORG>Acme &amp; "Co""# : #"<ORG>Acme &amp; "Co"</ORG>"#))
    #expect(text.contains(version == .v1 ? "<FID>1234\r\n" : "<FID>1234</FID>"))
  }

  /// Line breaks and tabs become spaces in OFX 2.2 as in OFX 1.02: importers drop them and glue the words.
  @Test(arguments: [OFXDocument.Version.v1, .v2])
  func lineBreaksAndTabsAreSpaces(version: OFXDocument.Version) throws {
    let text = try render(#"Line1\nLine2\r\nLine3\tEnd"#, version: version)
    let memo = "Line1 Line2  Line3 End"
    #expect(text.contains(version == .v1 ? "<MEMO>\(memo)\r\n" : "<MEMO>\(memo)</MEMO>"), "\(text)")
    #expect(!text.contains("&#13;") && !text.contains("Line1\n"))
  }

  @Test func anEmptyDescriptionNamesTheFlowTypeAndAnUnknownRoutingNumberIsZeros() throws {
    let text = try render("", version: .v1, routing: "unknown")
    #expect(text.contains("<NAME>outbound_payment\r\n") && !text.contains("<MEMO>"))
    #expect(text.contains("<BANKID>000000000\r\n"))
  }

  @Test(
    .enabled(if: ExternalTool.available(ExternalTool.xmllint), "needs xmllint"),
    arguments: ["Plain", #"Fish & Chips <Ltd> \"q\""#, "Rent 💸 👩‍👩‍👧‍👦 café", #"bell\u0007 nul\u0000"#, ""])
  func ofx2IsValidAgainstTheOFXSchemas(description: String) throws {
    let folder = TestSupport.TemporaryFolder()
    let path = folder.write("statement.ofx2.ofx", try render(description, version: .v2))
    #expect(try ExportSupport.ofx2Problems(path) == [])
    #expect(TestSupport.text(path).hasPrefix(#"<?xml version="1.0" encoding="UTF-8" standalone="no"?>"#))
    #expect(TestSupport.text(path).contains(#"<?OFX OFXHEADER="200" VERSION="220""#))
  }

  @Test func ofx2NamesAreCutToThirtyTwoCharactersBetweenCharacters() throws {
    let text = try render(String(repeating: "y", count: 31) + "👩‍👩‍👧‍👦" + "z", version: .v2)
    #expect(text.contains("<NAME>" + String(repeating: "y", count: 31) + "</NAME>"))
  }

  /// Descriptions lose leading and trailing white space, Unicode's included, whether or not they take the
  /// fast path (printable ASCII at both ends).
  @Test func descriptionsAreTrimmed() {
    #expect(OFXDocument.trimmed("Rent") == "Rent" && OFXDocument.trimmed("a b") == "a b")
    #expect(OFXDocument.trimmed("  Rent\n") == "Rent" && OFXDocument.trimmed("\tx") == "x")
    #expect(OFXDocument.trimmed("\u{3000}Rent\u{00A0}") == "Rent" && OFXDocument.trimmed("Café ") == "Café")
    #expect(OFXDocument.trimmed(" ") == "" && OFXDocument.trimmed("") == "")
  }
}

/// `OFXDocument.dateTime` against the `pad`-and-concatenate form it replaced, on random times in zones with whole,
/// half and quarter hour offsets, east and west.
@Test func dateTimeMatchesThePaddedOracle() {
  var random = Seeded(state: 31)
  let zones = ["UTC", "America/New_York", "Asia/Kolkata", "Asia/Kathmandu", "Pacific/Kiritimati", "Pacific/Pago_Pago"]
  for name in zones {
    let formatter = LocalTimeFormatter(zone: TimeZone(identifier: name)!)
    for _ in 0..<400 {
      // 1900 to 2100, and now and then the first seconds of a day.
      var time = Int64(random.below(6_311_390_400)) - 2_208_988_800
      if random.chance(10) { time -= time % 86_400 }
      var offset = formatter.offset(at: time)
      if offset % 3600 != 0 { offset = 0 }
      let local = time + offset
      let seconds = ((local % 86_400) + 86_400) % 86_400
      let date = CivilDate(daysSinceEpoch: Int((local - seconds) / 86_400))
      let s = Int(seconds)
      var text = pad(date.year, 4) + pad(date.month, 2) + pad(date.day, 2)
      text += pad(s / 3600, 2) + pad(s / 60 % 60, 2) + pad(s % 60, 2) + ".000"
      let oracle = text + (offset == 0 ? "[0:GMT]" : "[" + String(offset / 3600) + ":]")
      #expect(OFXDocument.dateTime(time, formatter) == oracle, "\(name) \(time)")
    }
  }
}
