import Foundation
import Testing

@_spi(Inlining) @testable import TreasuryModel
@testable import TreasuryRender

private let mar1: Int64 = 1_772_323_200  // 2026-03-01T00:00:00Z
private let mar5: Int64 = 1_772_668_800

@Suite struct OFXDocumentTests {
  @Test func datesAreLocalWithTheirOffset() throws {
    let utc = LocalTimeFormatter(zone: try #require(TimeZone(identifier: "UTC")))
    let newYork = LocalTimeFormatter(zone: try #require(TimeZone(identifier: "America/New_York")))
    let kolkata = LocalTimeFormatter(zone: try #require(TimeZone(identifier: "Asia/Kolkata")))
    let kathmandu = LocalTimeFormatter(zone: try #require(TimeZone(identifier: "Asia/Kathmandu")))
    #expect(OFXDocument.dateTime(mar5, utc) == "20260305000000.000[0]")
    #expect(OFXDocument.dateTime(mar5, newYork) == "20260304190000.000[-5]")
    // After the switch to daylight time on March 8.
    #expect(OFXDocument.dateTime(mar5 + 10 * 86_400, newYork) == "20260314200000.000[-4]")
    #expect(OFXDocument.dateTime(mar5, kolkata) == "20260305053000.000[5.30]")
    #expect(OFXDocument.dateTime(mar5, kathmandu) == "20260305054500.000[5.45]")
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

  private func render(_ description: String, version: OFXDocument.Version, routing: String = "084106768") throws
    -> String
  {
    let lines = [
      financialAccountLine(routing: routing),
      Lines.transaction("trxn_a", amount: -2550, created: Int(mar5), posted: Int(mar5), description: description),
      Lines.entry("trxne_a", transaction: "trxn_a", at: Int(mar5), cash: -2550),
    ]
    let (statements, symbols) = try CamtSupport.statements(lines, from: mar1, through: mar5)
    let target = MemoryTarget()
    let count = try OFXDocument(version: version).render(
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
    #expect(text.contains("<LEDGERBAL>\r\n<BALAMT>-25.50\r\n<DTASOF>20260401000000.000[0]\r\n</LEDGERBAL>"))
    #expect(!text.contains("BANKTRANLISTP"))
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
