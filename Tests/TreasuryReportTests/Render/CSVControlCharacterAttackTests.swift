import Foundation
import Testing

@testable import TreasuryJob
@_spi(Inlining) @testable import TreasuryModel
@testable import TreasuryRender

/// NUL, ESC, BEL and DEL from a dump were written raw into CSV cells. Every CSV file now follows the rule of the
/// XML and HTML outputs (`XMLText`): C0 controls but tab, LF and CR, DEL, C1 controls, U+FFFE and U+FFFF become
/// U+FFFD; tab, LF and CR stay (quoted as RFC 4180 says).
@Suite struct CSVControlCharacterAttackTests {
  /// Bytes no CSV cell may hold: C0 but tab/LF/CR, DEL, C1 (UTF-8 C2 80…C2 9F), U+FFFE/U+FFFF (EF BF BE/BF).
  static func forbidden(_ data: Data) -> [Int] {
    let b = [UInt8](data)
    var found: [Int] = []
    for i in b.indices {
      let c = b[i]
      if (c < 0x20 && c != 0x09 && c != 0x0A && c != 0x0D) || c == 0x7F { found.append(i) }
      if c == 0xC2, i + 1 < b.count, (0x80...0x9F).contains(b[i + 1]) { found.append(i) }
      if c == 0xEF, i + 2 < b.count, b[i + 1] == 0xBF, b[i + 2] == 0xBE || b[i + 2] == 0xBF { found.append(i) }
    }
    return found
  }

  @Test(arguments: [
    ("a\u{0}b", "a\u{FFFD}b"), ("\u{1B}[31mred", "\u{FFFD}[31mred"), ("bell\u{7}", "bell\u{FFFD}"),
    ("del\u{7F}", "del\u{FFFD}"), ("c1\u{85}\u{9B}", "c1\u{FFFD}\u{FFFD}"),
    ("nonchar\u{FFFE}\u{FFFF}", "nonchar\u{FFFD}\u{FFFD}"),
    ("tab\tkept", "tab\tkept"), ("Café 🚀\u{1}", "Café 🚀\u{FFFD}"),
    ("0123456789abcdef\u{1B}", "0123456789abcdef\u{FFFD}"),
  ])
  func controlCharactersBecomeTheReplacementCharacter(cell: String, cleaned: String) throws {
    let target = MemoryTarget()
    var csv = CSVWriter(target: target, header: nil)
    csv.text(cell)
    csv.endRow()
    try csv.flush()
    #expect(target.text == cleaned + "\r\n")
  }

  /// The eight-bytes-at-a-time screen misses nothing: every ASCII byte at every place of a 17-byte cell (both
  /// words and the tail) is cleaned, quoted or written as it is, as the byte-by-byte rule says.
  @Test func everyByteAtEveryPlaceIsScreened() throws {
    for byte in UInt8(0)..<0x80 {
      for place in 0..<17 {
        var cell = Array("abcdefghijklmnopq".utf8)
        cell[place] = byte
        let target = MemoryTarget()
        var csv = CSVWriter(target: target, header: nil)
        cell.withUnsafeBytes { csv.value($0) }
        csv.endRow()
        try csv.flush()
        let control = (byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D) || byte == 0x7F
        var expected = String(decoding: cell, as: UTF8.self)
        if control { expected = expected.replacingOccurrences(of: String(UnicodeScalar(byte)), with: "\u{FFFD}") }
        if byte == UInt8(ascii: "\"") { expected = expected.replacingOccurrences(of: "\"", with: "\"\"") }
        if [UInt8(ascii: "\""), UInt8(ascii: ","), 0x0A, 0x0D].contains(byte) { expected = "\"" + expected + "\"" }
        #expect(target.text == expected + "\r\n", "byte \(byte) at \(place)")
      }
    }
  }

  /// A cleaned cell is still quoted and guarded as any other: the replacement never hides a quote or a formula.
  @Test func cleanedCellsAreStillQuotedAndGuarded() throws {
    let target = MemoryTarget()
    var csv = CSVWriter(target: target, header: nil)
    csv.text("=1+1\u{0}")
    csv.text("two\nlines\u{7}, \"q\"")
    csv.endRow()
    try csv.flush()
    #expect(target.text == "'=1+1\u{FFFD},\"two\nlines\u{FFFD}, \"\"q\"\"\"\r\n")
  }

  /// Every CSV file of a run (summary, accounts, transactions, pending, entries, voided, each profile) over a dump
  /// whose every text field carries control characters.
  @Test func noCSVFileHoldsAControlCharacter() throws {
    let mar5 = 1_772_668_800
    let nasty = #"\u0000nul\u001besc\u0007bel\u007fdel\u0085nel\u009bcsi\ufffeend\ttab"#
    let fa =
      #"{"id":"fa_1","object":"treasury.financial_account","livemode":false,"status":"open\#(nasty)","balance":{"cash":{"usd":200},"inbound_pending":{"usd":0},"outbound_pending":{"usd":300}},"financial_addresses":[{"type":"aba","aba":{"account_holder_name":"Holder\#(nasty)","bank_name":"Bank\#(nasty)","routing_number":"084106768","account_number_last4":"67\#(nasty)"}}],"supported_currencies":["usd"]}"#
    let account = #"{"id":"acct_1Test","object":"account","business_profile":{"name":"Name\#(nasty)"}}"#
    // Ids cannot hold control characters (the input refuses them: ObjectIDAttackTests); every text field here can.
    let posted = Lines.transaction(
      "trxn_p", amount: 500, created: mar5, posted: mar5, description: "posted" + nasty,
      flowType: #"received_credit\u001b"#)
    let lines = [
      fa, account, posted,
      Lines.entry(
        "trxne_p", transaction: "trxn_p", at: mar5, cash: 500, type: #"received_credit\u007f"#),
      Lines.transaction("trxn_open", amount: -300, status: "open", created: mar5 + 60, description: "open" + nasty),
      Lines.entry("trxne_open", transaction: "trxn_open", at: mar5 + 60, cash: -300, outbound: 300),
      Lines.transaction("trxn_void", amount: -200, status: "void", created: mar5 + 120, description: "void" + nasty),
      Lines.entry("trxne_v1", transaction: "trxn_void", at: mar5 + 120, cash: -200),
      Lines.entry("trxne_v2", transaction: "trxn_void", at: mar5 + 180, cash: 200),
    ]
    let folder = TestSupport.TemporaryFolder()
    folder.write("acct_1Test/dump.jsonl", lines.joined(separator: "\n"))
    let out = folder.file("out")
    let run = try TestSupport.run(
      "treasury-report",
      [
        "statements", "acct_1Test", "--out", out, "--list-voided", "--format",
        "csv,csv:quickbooks,csv:xero,csv:excel-eu,csv:default",
      ], cwd: folder.path)
    #expect(run.status == 0, "\(run.stderr)")
    let csvFiles = TestSupport.tree(out).filter { $0.key.hasSuffix(".csv") }
    #expect(
      Set(csvFiles.keys.map { ($0 as NSString).lastPathComponent }) == [
        "summary.csv", "accounts.csv", "transactions.csv", "pending.csv", "entries.csv", "voided.csv",
        "transactions.quickbooks.csv", "transactions.xero.csv", "transactions.excel-eu.csv", "transactions.default.csv",
      ])
    for (path, data) in csvFiles {
      #expect(Self.forbidden(data).isEmpty, "\(path) holds control characters at \(Self.forbidden(data))")
    }
    // The cleaned text is the rule's, cell by cell, and the tab is kept.
    let cleaned = "\u{FFFD}nul\u{FFFD}esc\u{FFFD}bel\u{FFFD}del\u{FFFD}nel\u{FFFD}csi\u{FFFD}end\ttab"
    let march = TestSupport.records(out + "/2026-03/fa_1/transactions.csv")
    #expect(march.first?["description"] == "posted" + cleaned)
    #expect(march.first?["flow_type"] == "received_credit\u{FFFD}")
    let accounts = TestSupport.records(out + "/accounts.csv")
    #expect(accounts.first?["account_name"] == "Name" + cleaned)
    #expect(accounts.first?["holder_name"] == "Holder" + cleaned)
    // verify reads the cleaned files back without a finding.
    let verify = try TestSupport.run("treasury-report", ["verify", out])
    #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
  }
}
