import Foundation
import Testing

/// Ids a format cannot carry exactly: a 10 KB transaction id once became a 10,005-character OFX FITID (the
/// OFX 2 schema and ofxtools reject the file) with exit 0, and ids that differ only in characters a format
/// cleans (`,` and `/` in BAI2, letters Windows-1252 lacks in OFX 1.02) came out as one id. Now such an id
/// is refused (exit 2) naming the object, and an id at the limit is written exactly.
@Suite struct ExportIDAttackTests {
  static let mar5 = 1_772_668_800  // 2026-03-05T00:00:00Z

  /// A posted credit with id `id` (JSON-escaped by the caller where needed) and its entry.
  static func credit(_ id: String, n: Int, flow: String? = nil, fa: String = "fa_1", description: String = "d")
    -> [String]
  {
    var transaction = Lines.transaction(
      id, amount: 100 + n, created: mar5 + n, posted: mar5 + n, fa: fa, description: description,
      flowType: "received_credit")
    if let flow {
      transaction = transaction.replacingOccurrences(of: #""flow":"flow_\#(id)""#, with: #""flow":"\#(flow)""#)
    }
    return [
      transaction,
      Lines.entry("e\(n)", transaction: id, at: mar5 + n, cash: 100 + n, fa: fa, type: "received_credit"),
    ]
  }

  private func statements(_ lines: [String], format: String) throws -> (
    TestSupport.Run, String, TestSupport.TemporaryFolder
  ) {
    let folder = TestSupport.TemporaryFolder()
    folder.write("dump/dump.jsonl", lines.joined(separator: "\n"))
    let out = folder.file("out")
    let run = try TestSupport.run(
      "treasury-report", ["statements", "dump", "--out", "out", "--format", format], cwd: folder.path)
    return (run, out, folder)
  }

  private func expectRefused(
    _ lines: [String], format: String, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let (run, out, folder) = try statements(lines, format: format)
    #expect(run.status == 2, "\(format): \(run.stderr)", sourceLocation: sourceLocation)
    #expect(run.stderr.contains(expected), "\(format): \(run.stderr)", sourceLocation: sourceLocation)
    #expect(run.stderr.contains("nothing was written"), sourceLocation: sourceLocation)
    #expect(!FileManager.default.fileExists(atPath: out), sourceLocation: sourceLocation)
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["dump"], sourceLocation: sourceLocation)
  }

  /// An id longer than any Stripe id is refused at the input, whatever the format (ObjectIDAttackTests covers the
  /// characters): a 10 KB id once became a 10,005-character OFX FITID with exit 0.
  @Test(arguments: ["ofx", "ofx2", "bai2"])
  func aTenKilobyteIdIsRefusedNamingIt(format: String) throws {
    let id = "trxn_" + String(repeating: "A", count: 10_000)
    try expectRefused(
      Self.credit("trxn_ok", n: 0) + Self.credit(id, n: 1), format: format,
      "dump/dump.jsonl:3: error: 'id' must be a Stripe id (at most 255 letters, digits and '_'), found 'trxn_\(String(repeating: "A", count: 95))…'"
    )
  }

  /// A Stripe id longer than BAI2's 76-character bank reference is refused naming it, never cut (cut to the
  /// limit, two such ids would be one reference).
  @Test func aStripeIdLongerThanABAI2ReferenceIsRefused() throws {
    let prefix = "trxn_" + String(repeating: "x", count: 80)
    try expectRefused(
      Self.credit(prefix + "1", n: 0) + Self.credit(prefix + "2", n: 1), format: "bai2",
      "dump/dump.jsonl:1: error: fa_1 usd 2026-03: the transaction id trxn_\(String(repeating: "x", count: 59))… (86 characters) does not fit BAI2's bank reference"
    )
  }

  /// A BAI2 reference of 76 characters still fits an 80-character record; the reference reader checks it.
  @Test(.enabled(if: ExternalTool.exportReaders, "needs the export readers (make test-venv, ofxdump)"))
  func aBAI2ReferenceAtTheLimitIsWrittenWhole() throws {
    let id = "trxn_" + String(repeating: "b", count: 71)
    let flow = "obp_" + String(repeating: "c", count: 72)
    // The text field moves to a record of its own, empty or not.
    let lines =
      Self.credit(id, n: 0, flow: flow) + Self.credit(id.dropLast() + "2", n: 1, flow: flow, description: "")
      + Self.credit(id.dropLast() + "3", n: 2, flow: flow, description: String(repeating: "word ", count: 30))
    let (run, out, folder) = try statements(lines, format: "csv,bai2")
    #expect(run.status == 0, "\(run.stderr)")
    let text = TestSupport.text(out + "/2026-03/statements.bai2")
    #expect(text.contains(id) && text.contains(flow))
    #expect(text.split(separator: "\n").allSatisfy { $0.count <= 80 })
    #expect(try ExportSupport.readBack(out).contains("bai2"))
    try expectRefused(Self.credit(id + "b", n: 0), format: "bai2", "(77 characters) does not fit BAI2's bank reference")
    withExtendedLifetime(folder) {}
  }

  /// OFX's ACCTID is the last 22 characters of the financial account id: two accounts ending alike would be
  /// one account to an importer.
  @Test func financialAccountsOFXWouldMergeAreRefused() throws {
    let tail = String(repeating: "Q", count: 22)
    try expectRefused(
      Self.credit("trxn_1", n: 0, fa: "fa_1" + tail) + Self.credit("trxn_2", n: 1, fa: "fa_2" + tail),
      format: "ofx", "error: financial accounts fa_1\(tail) and fa_2\(tail) would share the OFX ACCTID \(tail)")
    // Without OFX the two accounts are fine.
    let (run, _, _) = try statements(
      Self.credit("trxn_1", n: 0, fa: "fa_1" + tail) + Self.credit("trxn_2", n: 1, fa: "fa_2" + tail),
      format: "csv,bai2")
    #expect(run.status == 0, "\(run.stderr)")
  }

  /// camt.053's references are optional Max35Text: an id that does not fit is left out, never cut.
  @Test func camtLeavesOutAReferenceItCannotHold() throws {
    let long = "trxn_" + String(repeating: "d", count: 31)
    let (run, out, folder) = try statements(
      Self.credit(long, n: 0) + Self.credit("trxn_short", n: 1), format: "camt053")
    #expect(run.status == 0, "\(run.stderr)")
    let text = TestSupport.text(out + "/2026-03/fa_1/statement.camt053.xml")
    #expect(!text.contains(String(long.prefix(35))))
    #expect(text.contains("<AcctSvcrRef>trxn_short</AcctSvcrRef>"))
    withExtendedLifetime(folder) {}
  }
}
