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
}
