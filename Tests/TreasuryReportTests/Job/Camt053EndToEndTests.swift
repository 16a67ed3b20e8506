import Foundation
import Testing

/// camt.053 output of the built binary: schema-valid for xmllint and the in-process validator, and read
/// back by an independent parser (Tests/reference/camt053.py) to the same numbers as the CSV files.
@Suite(.serialized) struct Camt053EndToEndTests {
  static let reference = TestSupport.root.appendingPathComponent("Tests/reference/camt053.py").path
  static let golden = TestSupport.root.appendingPathComponent("Tests/TreasuryReportTests/Golden/camt053").path

  /// Every document in `out` is valid, and the reference parser agrees with summary.csv and the CSV files.
  private func checkEverything(_ out: String, versions: [String] = ["02", "08"], pending: Bool = false) throws {
    let documents = CamtSupport.documents(in: out)
    #expect(!documents.isEmpty)
    for path in documents {
      #expect(try CamtSupport.problems(file: path) == [])
    }
    for version in versions {
      let run = try TestSupport.run(
        "/usr/bin/env", ["python3", Self.reference, out, "--version", version] + (pending ? ["--pending"] : []))
      #expect(run.status == 0, "\(run.stderr)")
      #expect(run.stdout.hasPrefix("checked "))
    }
    let validate = try TestSupport.run("treasury-report", ["validate", out])
    #expect(validate.status == 0, "\(validate.stderr)")
    try checkManifestRows(out, pending: pending)
  }

  /// The manifest records each document with its number of entries (booked, plus pending with --camt-pending).
  private func checkManifestRows(_ out: String, pending: Bool) throws {
    let rows = try CamtSupport.manifestRows(out)
    let expected = CamtSupport.total("posted_count", in: out) + (pending ? CamtSupport.total("open_count", in: out) : 0)
    for suffix in ["statement.camt053.xml", "statement.camt053.08.xml"] {
      var sum = 0
      for path in CamtSupport.documents(in: out) where path.hasSuffix("/" + suffix) {
        let relative = String(path.dropFirst(out.count + 1))
        let entries = TestSupport.text(path).components(separatedBy: "<Ntry>").count - 1
        #expect(rows[relative] == entries, "\(relative): manifest rows \(String(describing: rows[relative]))")
        sum += rows[relative] ?? 0
      }
      #expect(sum == expected, "\(suffix): \(sum) rows in the manifest, \(expected) in summary.csv")
    }
  }

  @Test(
    .enabled(if: ExternalTool.exportReaders, "needs the export readers (make test-venv, ofxdump)"),
    arguments: [
      ["--tz", "UTC"], ["--tz", "America/New_York", "--camt-pending"], ["--tz", "Asia/Kolkata", "--interval", "week"],
    ])
  func samplesGiveValidStatementsThatMatchTheCSV(flags: [String]) throws {
    let folder = TestSupport.TemporaryFolder()
    let out = folder.file("out")
    let run = try TestSupport.run(
      "treasury-report",
      ["statements", TestSupport.samples, "--out", out, "--format", "csv,camt053,camt053.08"] + flags)
    #expect(run.status == 0, "\(run.stderr)")
    try checkEverything(out, pending: flags.contains("--camt-pending"))
    // Every statement has both documents, recorded in the manifest with their entry counts (checkEverything).
    let summary = TestSupport.records(out + "/summary.csv")
    #expect(CamtSupport.documents(in: out).count == 2 * summary.count)
    let rows = try CamtSupport.manifestRows(out)
    #expect(rows.keys.filter { $0.hasSuffix("/statement.camt053.xml") }.count == summary.count)
    #expect(rows.keys.filter { $0.hasSuffix("/statement.camt053.08.xml") }.count == summary.count)
  }

  @Test(
    .enabled(if: ExternalTool.exportReaders, "needs the export readers (make test-venv, ofxdump)"),
    arguments: [("UTC", "month", UInt64(21)), ("America/New_York", "week", 22), ("Europe/Berlin", "quarter", 23)])
  func generatedDumpsGiveValidStatementsThatMatchTheCSV(tz: String, interval: String, seed: UInt64) throws {
    let folder = TestSupport.TemporaryFolder()
    try TestSupport.generate(
      into: folder.file("dump"), ["--accounts", "3", "--months", "3", "--seed", String(seed), "--messy"])
    let out = folder.file("out")
    let run = try TestSupport.run(
      "treasury-report",
      [
        "statements", folder.file("dump"), "--out", out, "--tz", tz, "--interval", interval, "--format",
        "csv,camt053,camt053.08", "--camt-pending",
      ])
    #expect(run.status == 0, "\(run.stderr)")
    try checkEverything(out, pending: true)
  }

  @Test func camtAloneWritesNoCSVAndIsTheSameWhateverTheJobs() throws {
    let folder = TestSupport.TemporaryFolder()
    try TestSupport.generate(into: folder.file("dump"), ["--accounts", "4", "--months", "2", "--seed", "31"])
    var trees: [[String: Data]] = []
    for (i, jobs) in ["1", "4", "4"].enumerated() {
      let run = try TestSupport.run(
        "treasury-report",
        ["statements", folder.file("dump"), "--out", folder.file("out\(i)"), "--format", "camt053", "--jobs", jobs])
      #expect(run.status == 0, "\(run.stderr)")
      trees.append(TestSupport.tree(folder.file("out\(i)")))
    }
    #expect(trees[0] == trees[1] && trees[1] == trees[2])
    let files = trees[0].keys
    #expect(files.contains("summary.csv") && files.contains("manifest.json"))
    #expect(!files.contains { $0.hasSuffix(".csv") && $0 != "summary.csv" })
    #expect(files.filter { $0.hasSuffix("/statement.camt053.xml") }.count == 8)
  }

  /// With --gzip and --archive: statement.camt053.xml.gz, validated as it is, and verify still passes.
  @Test func gzippedDocumentsValidateAndVerify() throws {
    let folder = TestSupport.TemporaryFolder()
    let out = folder.file("out")
    let run = try TestSupport.run(
      "treasury-report",
      ["statements", TestSupport.samples, "--out", out, "--format", "csv,camt053.08", "--gzip", "--archive"])
    #expect(run.status == 0, "\(run.stderr)")
    let gzipped = TestSupport.tree(out).keys.filter { $0.hasSuffix(".camt053.08.xml.gz") }
    #expect(gzipped.count == 12)
    let validate = try TestSupport.run("treasury-report", ["validate", out])
    #expect(validate.status == 0, "\(validate.stderr)")
    #expect(validate.stdout.split(separator: "\n").count == 12)
    let verify = try TestSupport.run("treasury-report", ["verify", out])
    #expect(verify.status == 0, "\(verify.stderr)")
    // A gzip file cut short cannot be read: exit 4, not "invalid".
    let path = out + "/" + (gzipped.sorted().first ?? "")
    let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    let cut = folder.file("cut.xml.gz")
    try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: cut))
    let broken = try TestSupport.run("treasury-report", ["validate", cut])
    #expect(broken.status == 4)
    #expect(broken.stderr.contains("cut.xml.gz: error: gzip data is corrupt or cut short"), "\(broken.stderr)")
  }

  /// A closed period's document does not depend on the as-of time; a period not ended by then is dated at it.
  @Test func asOfOnlyDatesPeriodsThatHadNotEnded() throws {
    let folder = TestSupport.TemporaryFolder()
    var trees: [[String: String]] = []
    for (i, asOf) in [[], ["--as-of", "2026-04-20T12:00:00Z"], ["--as-of", "2026-04-21"]].enumerated() {
      let run = try TestSupport.run(
        "treasury-report",
        ["statements", TestSupport.samples, "--out", folder.file("out\(i)"), "--format", "camt053"] + asOf)
      #expect(run.status == 0, "\(run.stderr)")
      trees.append(TestSupport.tree(folder.file("out\(i)")).mapValues { String(decoding: $0, as: UTF8.self) })
    }
    let created = { (tree: [String: String], month: String) -> String? in
      guard let text = tree[month + "/fa_1NorthwindOps000001/statement.camt053.xml"],
        let start = text.range(of: "<CreDtTm>"), let end = text.range(of: "</CreDtTm>")
      else { return nil }
      return String(text[start.upperBound..<end.lowerBound])
    }
    let february = "2026-02/fa_1NorthwindOps000001/statement.camt053.xml"
    #expect(trees[0][february] != nil && trees[0][february] == trees[1][february])
    #expect(trees[1][february] == trees[2][february])
    #expect(created(trees[0], "2026-02") == "2026-03-01T00:00:00+00:00")
    // Northwind's own data ends on March 28 (a payroll still open): without --as-of, that dates March.
    #expect(created(trees[0], "2026-03") == "2026-03-28T16:00:00+00:00")
    #expect(created(trees[1], "2026-03") == "2026-04-01T00:00:00+00:00")
    // April comes from other accounts' data; with --as-of it is dated at that time.
    #expect(created(trees[1], "2026-04") == "2026-04-20T12:00:00+00:00")
    #expect(created(trees[2], "2026-04") == "2026-04-21T00:00:00+00:00")
  }

  @Test(arguments: [
    (["--format", "csv", "--camt-pending"], "--camt-pending needs --format camt053 or camt053.08"),
    (
      ["--format", "csv", "--as-of", "2026-04-01"],
      "--as-of needs --format camt053, camt053.08, ofx, ofx2, bai2 or html"
    ),
    (["--format", "camt053", "--as-of", "April 1st"], "--as-of takes a time like 2026-04-01T06:30:00Z"),
    (
      ["--format", "camt054"], "--format takes csv, summary, csv:PROFILE, camt053, camt053.08, ofx, ofx2, bai2 or html"
    ),
  ])
  func badCamtFlagsAreUsageErrors(flags: [String], message: String) throws {
    let folder = TestSupport.TemporaryFolder()
    let run = try TestSupport.run(
      "treasury-report", ["statements", TestSupport.samples, "--out", folder.file("out")] + flags)
    #expect(run.status == 1)
    #expect(run.stderr.contains(message), "\(run.stderr)")
    #expect(!FileManager.default.fileExists(atPath: folder.file("out")))
  }

  /// One sample statement, byte for byte (`UPDATE_GOLDEN=1` rewrites it after an intended change).
  @Test func sampleStatementMatchesItsGoldenFile() throws {
    let folder = TestSupport.TemporaryFolder()
    let out = folder.file("out")
    let run = try TestSupport.run(
      "treasury-report",
      [
        "statements", "samples", "--out", out, "--tz", "America/New_York", "--period", "2026-03", "--format",
        "camt053,camt053.08", "--camt-pending",
      ], cwd: TestSupport.root.path)
    #expect(run.status == 0, "\(run.stderr)")
    for name in ["statement.camt053.xml", "statement.camt053.08.xml"] {
      let produced = try Data(contentsOf: URL(fileURLWithPath: out + "/2026-03/fa_1NorthwindOps000001/" + name))
      let golden = Self.golden + "/samples-new-york-2026-03-fa_1NorthwindOps000001." + name
      let expected = try Golden.file(golden, produced: produced)
      #expect(expected != nil, "no golden file \(golden); run with UPDATE_GOLDEN=1")
      #expect(produced == expected, "\(name) differs from its golden copy")
      #expect(try CamtSupport.problems(file: golden) == [])
    }
  }

  /// A schema problem deep inside the second entry is reported with that entry's path, not another element's.
  @Test func validateNamesTheElementOfASchemaProblem() throws {
    let folder = TestSupport.TemporaryFolder()
    let out = folder.file("out")
    let run = try TestSupport.run(
      "treasury-report", ["statements", TestSupport.samples, "--out", out, "--format", "camt053"])
    #expect(run.status == 0)
    var text = TestSupport.text(out + "/2026-02/fa_1NorthwindOps000001/statement.camt053.xml")
    // Empty the proprietary code of the second entry (Max35Text needs at least one character).
    var search = text.startIndex
    var found: Range<String.Index>?
    for _ in 0..<2 {
      found = text.range(of: "<Prtry>", range: search..<text.endIndex)
      search = found?.upperBound ?? text.endIndex
    }
    let prtry = try #require(found)
    let open = try #require(text.range(of: "<Cd>", range: prtry.upperBound..<text.endIndex))
    let close = try #require(text.range(of: "</Cd>", range: open.upperBound..<text.endIndex))
    text.replaceSubrange(open.upperBound..<close.lowerBound, with: "")
    let tampered = folder.write("tampered.xml", text)
    let result = try TestSupport.run("treasury-report", ["validate", tampered])
    #expect(result.status == 2)
    let line = text[..<open.lowerBound].filter { $0 == "\n" }.count + 1
    #expect(
      result.stderr.contains("\(tampered):\(line): error: /Document/BkToCstmrStmt/Stmt[1]/Ntry[2]/BkTxCd/Prtry/Cd: "),
      "\(result.stderr)")
  }

  @Test func validateRejectsATamperedDocumentWithItsElementPath() throws {
    let folder = TestSupport.TemporaryFolder()
    let out = folder.file("out")
    let run = try TestSupport.run(
      "treasury-report", ["statements", TestSupport.samples, "--out", out, "--format", "camt053"])
    #expect(run.status == 0)
    let path = out + "/2026-02/fa_1NorthwindOps000001/statement.camt053.xml"
    var text = TestSupport.text(path)
    let clbd = try #require(text.range(of: "<Cd>CLBD</Cd>"))
    let amount = try #require(text.range(of: "<Amt Ccy=\"USD\">", range: clbd.upperBound..<text.endIndex))
    let end = try #require(text.range(of: "</Amt>", range: amount.upperBound..<text.endIndex))
    text.replaceSubrange(amount.upperBound..<end.lowerBound, with: "1000000.00")
    let tampered = folder.write("tampered.xml", text)
    let result = try TestSupport.run("treasury-report", ["validate", tampered])
    #expect(result.status == 2)
    #expect(result.stdout == "\(tampered): invalid camt.053.001.02: 1 problem\n")
    // One element per line: the message names the line where the closing balance's <Bal> starts.
    let balance = try #require(text.range(of: "<Bal>", options: .backwards, range: text.startIndex..<clbd.lowerBound))
    let line = text[..<balance.lowerBound].filter { $0 == "\n" }.count + 1
    #expect(result.stderr.contains("\(tampered):\(line): error: /Document/BkToCstmrStmt/Stmt[1]/Bal[3]: OPBD "))
    #expect(result.stderr.contains("but CLBD is 1000000.00"))
    let original = try TestSupport.run("treasury-report", ["validate", path])
    #expect(original.status == 0)
    #expect(original.stdout == "\(path): valid camt.053.001.02 (1 statement, 6 entries)\n")
    // Given together, the copy also repeats the original's MsgId.
    let both = try TestSupport.run("treasury-report", ["validate", path, tampered])
    #expect(both.stderr.contains("is also the MsgId of \(path)"))
    // And xmllint, which checks the schema only, still accepts it: the arithmetic is ours to check.
    #expect(
      try TestSupport.run("/usr/bin/xmllint", ["--noout", "--schema", CamtSupport.schemaPath(.v02), tampered]).status
        == 0)
  }

  @Test func validateExitCodes() throws {
    let folder = TestSupport.TemporaryFolder()
    let missing = try TestSupport.run("treasury-report", ["validate", folder.file("missing.xml")])
    #expect(missing.status == 4)
    #expect(missing.stderr.contains("missing.xml: error: cannot read: No such file or directory"))
    let notXML = folder.write("notes.xml", "just some notes\n")
    let invalid = try TestSupport.run("treasury-report", ["validate", notXML])
    #expect(invalid.status == 2)
    #expect(invalid.stderr.contains("notes.xml:1: error:"))
    let usage = try TestSupport.run("treasury-report", ["validate"])
    #expect(usage.status == 1)
    let empty = try TestSupport.run("treasury-report", ["validate", folder.file("")])
    #expect(empty.status == 2)
  }
}
