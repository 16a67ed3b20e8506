import Foundation
import Testing

@testable import TreasuryJob

/// The independent readers of the accountant exports (Tests/reference/exports.py with ofxtools, bai2 and
/// ofxdump; xmllint with the OFX 2 XSDs), and dumps that exercise them.
enum ExportSupport {
  static let reference = TestSupport.root.appendingPathComponent("Tests/reference/exports.py").path
  static let schemas = TestSupport.root.appendingPathComponent("Tests/reference/ofx-schemas").path
  /// The Python with ofxtools and bai2 that `make test-venv` installs.
  static let python = TestSupport.root.appendingPathComponent(".build/test-venv/bin/python").path
  /// Every export format, with all shipped CSV profiles.
  static let allFormats = "csv,csv:quickbooks,csv:xero,csv:excel-eu,csv:default,ofx,ofx2,bai2,html"

  /// Runs the reference readers on an output folder; returns what they checked ("checked 3 bai2, …").
  @discardableResult
  static func readBack(_ out: String) throws -> String {
    guard FileManager.default.isExecutableFile(atPath: python) else {
      Issue.record("\(python) is missing: run `make test-venv` (it installs ofxtools and bai2 from PyPI)")
      return ""
    }
    let run = try TestSupport.run(python, [reference, out])
    #expect(run.status == 0, "the reference readers disagree with the CSV files:\n\(run.stderr)")
    #expect(run.stdout.hasPrefix("checked "), "\(run.stdout)")
    return run.stdout
  }

  /// Problems xmllint finds validating an OFX 2 file against the OFX 2 XSDs (the root moved into the schema's
  /// namespace first, as the schema's README explains); empty when it is valid.
  static func ofx2Problems(_ path: String) throws -> [String] {
    let text = TestSupport.text(path)
    let rooted = text.replacingOccurrences(of: "<OFX>", with: #"<ofx:OFX xmlns:ofx="http://ofx.net/types/2003/04">"#)
      .replacingOccurrences(of: "</OFX>", with: "</ofx:OFX>")
    let folder = TestSupport.TemporaryFolder()
    let copy = folder.write("statement.xml", rooted)
    let lint = try TestSupport.run(
      "/usr/bin/xmllint", ["--noout", "--schema", schemas + "/OFX2_Protocol.xsd", copy], cwd: schemas)
    return lint.status == 0 ? [] : ["\(path): \(lint.stderr)"]
  }

  /// A March with every kind of movement and descriptions that break naive writers (formulas, quotes,
  /// delimiters, markup, line breaks, emoji, characters Windows-1252 lacks, a trailing slash, 300 characters).
  static func awkwardDump() -> [String] {
    let mar = 1_772_323_200  // 2026-03-01T00:00:00Z
    let day = 86_400
    let descriptions = [
      #"=SUM(A1:A9)"#, #"Fish & Chips <Ltd> \"quoted\", semi;colon"#, #"line 1\nline 2\ttab"#,
      "Rent 💸 for 👩‍👩‍👧‍👦 — Café Lumière", "日本語の説明", #"Cafe\u0301 decomposed"#, "ends with a slash/",
      "<script>alert(1)</script>", String(repeating: "long words ", count: 27) + "end", "",
      #"-42 starts with minus"#, "@mention and +plus",
    ]
    var lines = [financialAccountLine(holder: #"O'Brien & Søn <Holdings>"#)]
    var n = 0
    func add(_ amount: Int, _ flowType: String, _ entryType: String, _ description: String) {
      n += 1
      let at = mar + n * day / 2
      let id = "trxn_aw\(n)"
      lines.append(
        Lines.transaction(
          id, amount: amount, created: at, posted: at, description: description, flowType: flowType))
      lines.append(Lines.entry("trxne_aw\(n)", transaction: id, at: at, cash: amount, type: entryType))
    }
    add(500_000, "received_credit", "received_credit", descriptions[0])
    for (i, text) in descriptions.enumerated().dropFirst() {
      add(i % 2 == 0 ? 1_234 * i : -987 * i, "outbound_payment", "outbound_payment", text)
    }
    add(3_000, "outbound_payment", "outbound_payment_return", "Returned payment")
    add(-40_000, "inbound_transfer", "inbound_transfer_return", "Returned transfer")
    add(40_000, "inbound_transfer", "inbound_transfer", "Transfer in")
    add(37, "interest_payout", "interest_payout", "Interest")
    add(-2_500, "issuing_authorization", "issuing_authorization_hold", "Card")
    add(-700, "received_debit", "received_debit", "ACH debit")
    add(700, "debit_reversal", "debit_reversal", "Debit reversed")
    add(-2_000, "credit_reversal", "credit_reversal", "Credit reversed")
    add(-1_000, "outbound_transfer", "outbound_transfer", "Sweep")
    add(123, "some_new_flow", "some_new_type", "A flow type added later")
    // Zero is a credit in every format (BAI2's 100 count, camt's CRDT, the HTML credit count).
    add(0, "received_credit", "received_credit", "A zero-amount credit")
    // Open at the end of March: pending, never in the totals.
    lines.append(
      Lines.transaction(
        "trxn_open", amount: -4_200, status: "open", created: mar + 20 * day, description: #"Payroll \"March\""#))
    lines.append(Lines.entry("trxne_open", transaction: "trxn_open", at: mar + 20 * day, cash: -4_200, outbound: 4_200))
    return lines
  }

  /// A March in `zone` whose postings fall around local midnights (a minute and a second either side, and on
  /// the stroke), on the period's first and last instants and around its DST switch, with ASCII descriptions
  /// so that every reader (ofxparse included) reads every file.
  static func midnightDump(zone: String) throws -> [String] {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = try #require(TimeZone(identifier: zone))
    func midnight(_ day: Int) throws -> Int {
      let date = try #require(calendar.date(from: DateComponents(year: 2026, month: 3, day: day)))
      return Int(date.timeIntervalSince1970)
    }
    var lines = [financialAccountLine()]
    var n = 0
    func add(_ at: Int, _ amount: Int) {
      n += 1
      lines.append(
        Lines.transaction(
          "trxn_m\(n)", amount: amount, created: at, posted: at, description: "Posting \(n) near midnight",
          flowType: amount > 0 ? "received_credit" : "outbound_payment"))
      lines.append(Lines.entry("trxne_m\(n)", transaction: "trxn_m\(n)", at: at, cash: amount))
    }
    add(try midnight(1), 100_000)
    for day in [2, 8, 9, 15, 31] {
      let m = try midnight(day)
      for offset in [-60, -1, 0, 1, 60, 1_800] { add(m + offset, -(100 + n)) }
    }
    add(try midnight(32) - 1, 5_000)  // 31 March, 23:59:59 local: the period's last instant.
    return lines
  }

  /// Descriptions that break naive OFX writers and readers while staying ASCII (so ofxparse, which reads
  /// OFX 2 files as ASCII, reads them too): quotes, entities written out, markup, line breaks, tabs.
  static func hostileASCIIDump() -> [String] {
    let mar2 = 1_772_409_600  // 2026-03-02T00:00:00Z
    let descriptions = [
      #"He said \"hi\" & left"#, #"&quot; &amp; &lt; written out"#, #"<NAME>inner</NAME> markup"#,
      #"Line1\nLine2\r\nLine3\tEnd"#, #"'single' and \"double\""#, #"tail quote\""#, #"\"lead quote"#,
      #"a]b[c:d"#, "ends with a space ", String(repeating: "x&y ", count: 70),
    ]
    var lines = [financialAccountLine(holder: "Quote \\\"Holder\\\"")]
    for (i, description) in descriptions.enumerated() {
      let at = mar2 + i * 3_600
      lines.append(
        Lines.transaction("trxn_h\(i)", amount: -(100 + i), created: at, posted: at, description: description))
      lines.append(Lines.entry("trxne_h\(i)", transaction: "trxn_h\(i)", at: at, cash: -(100 + i)))
    }
    return lines
  }
}
