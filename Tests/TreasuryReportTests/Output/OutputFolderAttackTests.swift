import Foundation
import Testing

/// Attacks on `--out` and `--report-json`: outputs that overlap inputs, links, file size limits.
@Suite struct OutputFolderAttackTests {
  static let credit = Lines.transaction("trxn_1", amount: 500, flowType: "received_credit")
  static let creditEntry = Lines.entry("trxn_1", transaction: "trxn_1", at: 1_767_225_600, cash: 500)
  static let dump = credit + "\n" + creditEntry + "\n"

  /// A folder with `S/acct_1Test/dump.jsonl`, an earlier output `o` of it, a copy of the input inside that output
  /// (`o/raw`) and links to both (`rawlink`, `olink`, `here` → the folder itself).
  private static func outputHoldingItsInput() throws -> TestSupport.TemporaryFolder {
    let folder = TestSupport.TemporaryFolder()
    folder.write("S/acct_1Test/dump.jsonl", dump)
    let first = try TestSupport.run("treasury-report", ["statements", "S", "--out", "o"], cwd: folder.path)
    #expect(first.status == 0, "\(first.stderr)")
    folder.write("o/raw/acct_1Test/dump.jsonl", dump)
    let manager = FileManager.default
    try manager.createSymbolicLink(atPath: folder.file("rawlink"), withDestinationPath: "o/raw")
    try manager.createSymbolicLink(atPath: folder.file("olink"), withDestinationPath: "o")
    try manager.createSymbolicLink(atPath: folder.file("here"), withDestinationPath: ".")
    return folder
  }

  @Test(arguments: [
    (["o/raw"], "o", "o/raw"),
    (["{abs}/o/raw"], "{abs}/o", "{abs}/o/raw"),
    (["o/raw/../raw"], "S/../o", "o/raw/../raw"),
    (["rawlink"], "o", "rawlink"),
    (["o/raw"], "olink", "o/raw"),
    (["here/o/raw"], "./o/", "here/o/raw"),
    (["S", "o/raw/acct_1Test/dump.jsonl"], "{abs}/here/o", "o/raw/acct_1Test/dump.jsonl"),
    (["o"], "o", "o"),
  ])
  func anOutputThatHoldsAnInputIsRefused(inputs: [String], out: String, named: String) throws {
    let folder = try Self.outputHoldingItsInput()
    let before = TestSupport.tree(folder.file("o"))
    #expect(before["raw/acct_1Test/dump.jsonl"] != nil)
    try Self.expectRefused(inputs, out: out, "contains", named, in: folder)
    // Nothing moved: the earlier output and the input copied into it are exactly as they were.
    #expect(TestSupport.tree(folder.file("o")) == before)
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == [
        "S", "here", "o", "olink", "rawlink",
      ])
  }

  @Test(arguments: [
    (["S"], "S/new", "S"),
    (["{abs}/S"], "S/acct_1Test/../new", "{abs}/S"),
    (["."], "o", "."),
    (["here"], "{abs}/o", "here"),
  ])
  func anOutputInsideAnInputIsRefused(inputs: [String], out: String, named: String) throws {
    let folder = try Self.outputHoldingItsInput()
    let before = TestSupport.tree(folder.path)
    try Self.expectRefused(inputs, out: out, "is inside", named, in: folder)
    #expect(TestSupport.tree(folder.path) == before)
  }

  /// Runs `statements INPUTS --out OUT` in `folder` (`{abs}` stands for its path) and expects the overlap refused.
  private static func expectRefused(
    _ inputs: [String], out: String, _ relation: String, _ named: String, in folder: TestSupport.TemporaryFolder
  ) throws {
    let spell = { (text: String) in text.replacingOccurrences(of: "{abs}", with: folder.path) }
    let run = try TestSupport.run(
      "treasury-report", ["statements"] + inputs.map(spell) + ["--out", spell(out)], cwd: folder.path)
    #expect(run.status == 1, "\(run.stderr)")
    #expect(
      run.stderr.contains(
        "error: --out \(relation) the input \(spell(named)); choose an --out folder outside every input"),
      "\(run.stderr)")
  }

  @Test func templatesInsideTheOutputAreAnInputToo() throws {
    let folder = TestSupport.TemporaryFolder()
    folder.write("S/acct_1Test/dump.jsonl", Self.dump)
    #expect(try TestSupport.run("treasury-report", ["statements", "S", "--out", "o"], cwd: folder.path).status == 0)
    let profile = TestSupport.text(TestSupport.root.appendingPathComponent("templates/csv/default.json").path)
    folder.write("o/tpl/csv/mine.json", profile)
    let before = TestSupport.tree(folder.file("o"))
    let run = try TestSupport.run(
      "treasury-report", ["statements", "S", "--out", "o", "--format", "csv:mine", "--templates", "o/tpl"],
      cwd: folder.path)
    #expect(run.status == 1, "\(run.stderr)")
    #expect(run.stderr.contains("error: --out contains the input o/tpl"), "\(run.stderr)")
    #expect(TestSupport.tree(folder.file("o")) == before)
  }

  // MARK: --out through a symbolic link

  @Test func anOutputLinkIsWrittenThroughAndStaysALink() throws {
    let folder = TestSupport.TemporaryFolder()
    folder.write("S/acct_1Test/dump.jsonl", Self.dump)
    #expect(try TestSupport.run("treasury-report", ["statements", "S", "--out", "real"], cwd: folder.path).status == 0)
    try FileManager.default.createSymbolicLink(atPath: folder.file("link"), withDestinationPath: "real")
    // New data: a second credit of 2.50.
    let more = Lines.transaction("trxn_2", amount: 250, created: 1_767_300_000, flowType: "received_credit")
    let moreEntry = Lines.entry("trxn_2", transaction: "trxn_2", at: 1_767_300_000, cash: 250)
    folder.write("S/acct_1Test/dump.jsonl", Self.dump + more + "\n" + moreEntry + "\n")
    let run = try TestSupport.run(
      "treasury-report", ["statements", "S", "--out", "link", "--replace"], cwd: folder.path)
    #expect(run.status == 0, "\(run.stderr)")
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: folder.file("link")) == "real")
    #expect(TestSupport.records(folder.file("real/summary.csv")).first?["closing_cash"] == "7.50")
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["S", "link", "real"])
    #expect(try TestSupport.run("treasury-report", ["verify", "link"], cwd: folder.path).status == 0)
  }

  @Test func aDanglingOutputLinkIsRefused() throws {
    let folder = TestSupport.TemporaryFolder()
    folder.write("S/acct_1Test/dump.jsonl", Self.dump)
    try FileManager.default.createSymbolicLink(atPath: folder.file("link"), withDestinationPath: "gone/away")
    let run = try TestSupport.run("treasury-report", ["statements", "S", "--out", "link"], cwd: folder.path)
    #expect(run.status == 1, "\(run.stderr)")
    #expect(
      run.stderr.hasPrefix(
        "link: error: will not replace this folder: it is a symbolic link to gone/away, which does not exist"),
      "\(run.stderr)")
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: folder.file("link")) == "gone/away")
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["S", "link"])
  }

  // MARK: --report-json

  @Test(arguments: ["o/report.json", "{abs}/o/report.json", "olink/report.json", "o/raw/../report.json"])
  func aReportInsideTheOutputIsRefusedAndChangesNothing(report: String) throws {
    let folder = try Self.outputHoldingItsInput()
    let path = report.replacingOccurrences(of: "{abs}", with: folder.path)
    let before = TestSupport.tree(folder.file("o"))
    folder.write("bad/acct_1Test/dump.jsonl", "{oops\n")
    for input in ["bad", "S"] {
      let run = try TestSupport.run(
        "treasury-report", ["statements", input, "--out", "o", "--report-json", path], cwd: folder.path)
      #expect(run.status == 1, "\(input): \(run.stderr)")
      #expect(
        run.stderr.contains("--report-json \(path) is inside the --out folder o; write the report outside it"),
        "\(run.stderr)")
      #expect(TestSupport.tree(folder.file("o")) == before)
    }
  }

  @Test func aReportOverAnInputIsRefused() throws {
    let folder = TestSupport.TemporaryFolder()
    folder.write("S/acct_1Test/dump.jsonl", Self.dump)
    let run = try TestSupport.run(
      "treasury-report", ["statements", "S", "--out", "o", "--report-json", "./S/acct_1Test/dump.jsonl"],
      cwd: folder.path)
    #expect(run.status == 1, "\(run.stderr)")
    #expect(
      run.stderr.contains("--report-json ./S/acct_1Test/dump.jsonl would replace a dump file of the input S"),
      "\(run.stderr)")
    #expect(TestSupport.text(folder.file("S/acct_1Test/dump.jsonl")) == Self.dump)
    #expect(!FileManager.default.fileExists(atPath: folder.file("o")))
  }

  @Test func aReportBesideTheOutputIsWrittenEvenWhenTheRunFails() throws {
    let folder = TestSupport.TemporaryFolder()
    folder.write("bad/acct_1Test/dump.jsonl", "{oops\n")
    let run = try TestSupport.run(
      "treasury-report", ["statements", "bad", "--out", "o", "--report-json", "report.json"], cwd: folder.path)
    #expect(run.status == 2)
    #expect(TestSupport.text(folder.file("report.json")).contains("\"status\" : \"invalid_input\""))
  }

  // MARK: File size limit

  @Test(arguments: [[], ["--partition-threshold-mib", "0"]])
  func aFileSizeLimitIsAnIOErrorAndLeavesNothing(extra: [String]) throws {
    let folder = TestSupport.TemporaryFolder()
    folder.write("S/acct_1Test/dump.jsonl", Lines.receivedCredits(400).joined(separator: "\n") + "\n")
    #expect(try TestSupport.run("treasury-report", ["statements", "S", "--out", "o"], cwd: folder.path).status == 3)
    let before = TestSupport.tree(folder.file("o"))
    // 16 blocks of 512 bytes: the 40 KB transactions.csv (or a partition file) cannot be written. SIGXFSZ is at its
    // default (see RunningProcess), as under a user's shell.
    let binary = TestSupport.binaries.appendingPathComponent("treasury-report").path
    let run = try RunningProcess(
      "/bin/sh",
      ["-c", "ulimit -f 16; exec \"$@\"", "sh", binary, "statements", "S", "--out", "o", "--replace"] + extra,
      cwd: folder.path)
    run.closeInput()
    let outcome = try #require(run.wait())
    #expect(!outcome.signalled && outcome.status == 4, "\(outcome) \(run.stderr)")
    #expect(run.stderr.contains(": File too large"), "\(run.stderr)")
    #expect(run.stderr.contains("/.o.partial-\(run.pid)/"), "the message names the file: \(run.stderr)")
    #expect(TestSupport.tree(folder.file("o")) == before)
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["S", "o"])
  }
}
