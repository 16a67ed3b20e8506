import Foundation
import Testing

@testable import TreasuryJob

/// OFX files read by the three readers accountants' software is built on (ofxtools, ofxparse as
/// ledger-autosync uses it, libofx's ofxdump as GnuCash does), through Tests/reference/exports.py: every
/// time the same instant as in transactions.csv, balances dated the period's last day, the FI block,
/// descriptions exactly.
@Suite(.serialized) struct OFXReadersEndToEndTests {
  private func statements(_ lines: [String], _ folder: TestSupport.TemporaryFolder, _ flags: [String]) throws
    -> String
  {
    folder.write("dump/transactions.jsonl", lines.joined(separator: "\n") + "\n")
    let out = folder.file("out")
    let run = try TestSupport.run(
      "treasury-report",
      ["statements", folder.file("dump"), "--out", out, "--format", "csv,ofx,ofx2", "--period", "2026-03"]
        + flags + ["--allow-unreconciled"])
    #expect(run.status == 0, "\(run.stderr)")
    return out
  }

  /// Zones whose offsets are not whole hours (libofx and ofxparse read `[5.30]` as 5.3 hours, ofxtools as
  /// 5:30), one with a DST switch in March, and UTC; postings a second and a minute either side of local
  /// midnights and on the stroke.
  @Test(
    .enabled(if: ExternalTool.exportReaders, "needs the export readers (make test-venv, ofxdump)"),
    arguments: [
      "Asia/Kolkata", "Asia/Kathmandu", "Australia/Adelaide", "America/St_Johns", "America/New_York", "UTC",
    ])
  func postingsNearMidnightAreTheSameInstantInEveryReader(zone: String) throws {
    let folder = TestSupport.TemporaryFolder()
    let out = try statements(try ExportSupport.midnightDump(zone: zone), folder, ["--tz", zone])
    let checked = try ExportSupport.readBack(out)
    #expect(checked.contains("1 statement,") && checked.contains("1 statement.ofx2"), "\(checked)")
    #expect(checked.contains("2 ofxdump") && checked.contains("2 ofxparse") && !checked.contains("not-ascii"))
    let ofx = TestSupport.text(out + "/2026-03/fa_1/statement.ofx2.ofx")
    // No offset with minutes is written (UTC stands in), and every one has the colon ofxparse needs.
    let offsets = ofx.split(separator: "[").dropFirst().map { String($0.prefix { $0 != "]" }) }
    let wholeHours = TimeZone(identifier: zone).map { $0.secondsFromGMT() % 3600 == 0 } ?? false
    #expect(offsets.count == 35)  // DTSERVER, DTSTART, DTEND and 32 postings
    for offset in offsets {
      #expect(offset == "0:GMT" || (wholeHours && offset.hasSuffix(":") && Int(offset.dropLast()) != nil), "\(offset)")
    }
  }

  /// Quotes, written-out entities, markup, line breaks and tabs reach every reader as the description says
  /// (quotes as themselves: libofx's DTD has no `&quot;`), with an ORG and FID of the user's.
  @Test(.enabled(if: ExternalTool.exportReaders, "needs the export readers (make test-venv, ofxdump)"))
  func hostileDescriptionsAndTheInstitutionReadBackExactly() throws {
    let folder = TestSupport.TemporaryFolder()
    let out = try statements(
      ExportSupport.hostileASCIIDump(), folder, ["--ofx-org", #"Acme & "Co" <Bank>"#, "--ofx-fid", "1234-5"])
    let checked = try ExportSupport.readBack(out)
    #expect(checked.contains("2 ofxdump") && checked.contains("2 ofxparse") && !checked.contains("not-ascii"))
    let ofx2 = TestSupport.text(out + "/2026-03/fa_1/statement.ofx2.ofx")
    #expect(ofx2.contains(#"<MEMO>He said "hi" &amp; left</MEMO>"#) && !ofx2.contains("&quot;"))
    #expect(ofx2.contains("<MEMO>Line1 Line2  Line3 End</MEMO>"))
    #expect(ofx2.contains(#"<ORG>Acme &amp; "Co" &lt;Bank&gt;</ORG>"#) && ofx2.contains("<FID>1234-5</FID>"))
    #expect(TestSupport.text(out + "/manifest.json").contains(#""ofx_fid" : "1234-5""#))
  }

  /// Non-ASCII text (accents, CJK, emoji) reaches libofx and ofxtools exactly in OFX 2.2 (UTF-8) and
  /// ofxparse in OFX 1.02 (Windows-1252, '?' for what it lacks); ofxparse 0.21 reads OFX 2 as ASCII whatever
  /// the file declares, the limitation README states, which the reference reader checks is still so.
  @Test(.enabled(if: ExternalTool.exportReaders, "needs the export readers (make test-venv, ofxdump)"))
  func nonASCIIDescriptionsReadBackExactly() throws {
    let folder = TestSupport.TemporaryFolder()
    var lines = ExportSupport.hostileASCIIDump()
    for (i, description) in ["Café Lumière", "日本語の説明", "Rent 💸 for 👩‍👩‍👧‍👦", #"Naïve \"quoted\" & <b>"#].enumerated() {
      let at = 1_772_668_800 + i * 60
      lines.append(Lines.transaction("trxn_u\(i)", amount: -(7 + i), created: at, posted: at, description: description))
      lines.append(Lines.entry("trxne_u\(i)", transaction: "trxn_u\(i)", at: at, cash: -(7 + i)))
    }
    let out = try statements(lines, folder, ["--tz", "Asia/Kathmandu"])
    let checked = try ExportSupport.readBack(out)
    #expect(
      checked.contains("2 ofxdump") && checked.contains("1 ofxparse,") && checked.contains("1 ofxparse:not-ascii"))
    let ofx2 = TestSupport.text(out + "/2026-03/fa_1/statement.ofx2.ofx")
    #expect(ofx2.contains("<MEMO>日本語の説明</MEMO>") && ofx2.contains(#"<MEMO>Naïve "quoted" &amp; &lt;b&gt;</MEMO>"#))
  }
}
