import Foundation
import Testing

@_spi(Inlining) @testable import TreasuryModel

/// Attacks on how INPUT paths become dump files: where the connected account comes from, special files, and the
/// tool's own files found in input folders.
@Suite struct InputCatalogAttackTests {
  static let credit = Lines.transaction("trxn_1", amount: 500, flowType: "received_credit")
  static let creditEntry = Lines.entry("trxn_1", transaction: "trxn_1", at: 1_767_225_600, cash: 500)
  static let dump = credit + "\n" + creditEntry + "\n"

  /// Runs `statements` with `arguments` in `cwd` (bounded: a run that hangs fails the test).
  private static func statements(_ arguments: [String], cwd: String) throws -> (RunningProcess.Outcome?, String) {
    let run = try RunningProcess("treasury-report", ["statements"] + arguments, cwd: cwd)
    run.closeInput()
    return (run.wait(seconds: 60), run.stderr)
  }

  // MARK: The connected account comes from the path below the input

  @Test func foldersAboveTheInputNeverNameTheAccount() throws {
    // The platform's dump, kept under a folder that happens to look like an account id.
    let folder = TestSupport.TemporaryFolder()
    let base = folder.file("acct_exports")
    folder.write("acct_exports/dumps/platform/dump.jsonl", Self.dump)
    try FileManager.default.createSymbolicLink(atPath: folder.file("d"), withDestinationPath: "acct_exports/dumps")
    let spellings: [(cwd: String, input: String)] = [
      (base, "dumps"), (base, base + "/dumps"), (base + "/dumps", "."), (base + "/dumps/platform", "../../dumps"),
      (folder.path, "d"), (folder.path, folder.file("d") + "/"), (base, "dumps/platform/dump.jsonl"),
      (base, base + "/dumps/platform/dump.jsonl"), (folder.path, "d/platform/dump.jsonl"),
    ]
    for (i, spelling) in spellings.enumerated() {
      let out = folder.file("out\(i)")
      let (outcome, stderr) = try Self.statements([spelling.input, "--out", out], cwd: spelling.cwd)
      #expect(outcome?.status == 0, "\(spelling): \(stderr)")
      #expect(TestSupport.records(out + "/summary.csv").map { $0["account"] } == [""], "\(spelling)")
      #expect(TestSupport.records(out + "/accounts.csv").map { $0["account"] } == [""], "\(spelling)")
    }
  }

  @Test func theInputFolderItselfAndTheFileFolderNameTheAccount() throws {
    let folder = TestSupport.TemporaryFolder()
    let account = folder.file("dumps/acct_1X")
    folder.write("dumps/acct_1X/transactions.jsonl", Self.dump)
    try FileManager.default.createSymbolicLink(atPath: folder.file("x"), withDestinationPath: "dumps/acct_1X")
    let spellings: [(cwd: String, input: String)] = [
      (folder.path, "dumps"), (folder.path, "dumps/acct_1X"), (account, "."), (account, account),
      (folder.path, "x"), (folder.path, "dumps/acct_1X/transactions.jsonl"), (account, "transactions.jsonl"),
      (account, "./transactions.jsonl"), (folder.path, "x/transactions.jsonl"),
      (folder.path, folder.file("dumps/acct_1X/../acct_1X/transactions.jsonl")),
    ]
    for (i, spelling) in spellings.enumerated() {
      let out = folder.file("out\(i)")
      let (outcome, stderr) = try Self.statements([spelling.input, "--out", out], cwd: spelling.cwd)
      #expect(outcome?.status == 0, "\(spelling): \(stderr)")
      #expect(TestSupport.records(out + "/summary.csv").map { $0["account"] } == ["acct_1X"], "\(spelling)")
    }
  }

  @Test func onlyTheNearestAccountFolderBelowTheInputCounts() throws {
    let folder = TestSupport.TemporaryFolder()
    folder.write("acct_1Outer/dumps/acct_1Inner/sub/dump.jsonl", Self.dump)
    let (outcome, stderr) = try Self.statements([folder.file("acct_1Outer/dumps"), "--out", "o"], cwd: folder.path)
    #expect(outcome?.status == 0, "\(stderr)")
    #expect(TestSupport.records(folder.file("o/summary.csv")).map { $0["account"] } == ["acct_1Inner"])
  }

  // MARK: Special files

  @Test func aFIFOInAFolderIsSkippedAndListed() throws {
    let folder = TestSupport.TemporaryFolder()
    folder.write("S/acct_1Test/a.jsonl", Self.dump)
    #expect(mkfifo(folder.file("S/acct_1Test/b.jsonl"), 0o644) == 0)
    let (outcome, stderr) = try Self.statements(
      ["S", "--out", "o", "--report-json", "report.json"], cwd: folder.path)
    #expect(outcome?.status == 0, "\(stderr)")
    #expect(stderr.contains("S/acct_1Test/b.jsonl (a FIFO, not a regular file)"), "\(stderr)")
    let report = TestSupport.text(folder.file("report.json"))
    #expect(report.contains("\"reason\" : \"a FIFO, not a regular file\""), "\(report)")
  }

  @Test func aSocketInAFolderIsSkippedAndListed() throws {
    let folder = TestSupport.TemporaryFolder()
    folder.write("S/acct_1Test/a.jsonl", Self.dump)
    let path = folder.file("S/acct_1Test/c.jsonl")
    let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    withUnsafeMutableBytes(of: &address.sun_path) { slot in
      path.utf8CString.withUnsafeBytes { slot.copyMemory(from: $0) }
    }
    let bound = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
    }
    try #require(bound == 0)
    let (outcome, stderr) = try Self.statements(["S", "--out", "o"], cwd: folder.path)
    #expect(outcome?.status == 0, "\(stderr)")
    #expect(stderr.contains("S/acct_1Test/c.jsonl (a socket, not a regular file)"), "\(stderr)")
  }

  @Test func linksInsideFoldersAreNotFollowed() throws {
    // Like grep -r: a link named on the command line is followed, one found inside a folder is listed, not read.
    let folder = TestSupport.TemporaryFolder()
    folder.write("S/acct_1Test/a.jsonl", Self.dump)
    folder.write("elsewhere/acct_1Other/x.jsonl", Lines.transaction("trxn_9", amount: 1, fa: "fa_9"))
    let manager = FileManager.default
    try manager.createSymbolicLink(atPath: folder.file("S/acct_1Test/file.jsonl"), withDestinationPath: "/dev/zero")
    try manager.createSymbolicLink(
      atPath: folder.file("S/acct_1Test/other.jsonl"), withDestinationPath: folder.file("elsewhere/acct_1Other/x.jsonl")
    )
    try manager.createSymbolicLink(atPath: folder.file("S/loop"), withDestinationPath: "..")
    try manager.createSymbolicLink(atPath: folder.file("S/more"), withDestinationPath: folder.file("elsewhere"))
    let (outcome, stderr) = try Self.statements(["S", "--out", "o"], cwd: folder.path)
    #expect(outcome?.status == 0, "\(stderr)")
    #expect(stderr.contains("read 1 file "), "\(stderr)")
    for name in ["S/acct_1Test/file.jsonl", "S/acct_1Test/other.jsonl", "S/loop", "S/more"] {
      #expect(stderr.contains("\(name) (a symbolic link; links inside input folders are not followed)"), "\(stderr)")
    }
  }

  @Test(arguments: [("fifo", "a FIFO"), ("/dev/null", "a character device")])
  func aSpecialFileNamedAsInputIsRefused(name: String, kind: String) throws {
    let folder = TestSupport.TemporaryFolder()
    if name == "fifo" { #expect(mkfifo(folder.file("fifo"), 0o644) == 0) }
    let (outcome, stderr) = try Self.statements([name, "--out", "o"], cwd: folder.path)
    #expect(outcome?.status == 1, "\(stderr)")
    #expect(
      stderr.hasPrefix(
        "\(name): error: is \(kind), not a regular file or folder; to read a pipe, pass - and redirect it to standard input"
      ), "\(stderr)")
    #expect(!FileManager.default.fileExists(atPath: folder.file("o")))
  }

  // MARK: The tool's own files

  @Test func anEarlierGzippedOutputInsideAnInputIsNotReadAsDumps() throws {
    let folder = TestSupport.TemporaryFolder()
    folder.write("tree/dumps/acct_1Test/dump.jsonl", Self.dump + "{broken\n")
    let first = try TestSupport.run(
      "treasury-report",
      [
        "statements", "tree/dumps", "--out", "tree/old", "--gzip", "--skip-invalid", "--report-json",
        "tree/report.json",
      ],
      cwd: folder.path)
    #expect(first.status == 0, "\(first.stderr)")
    #expect(FileManager.default.fileExists(atPath: folder.file("tree/old/rejects.jsonl.gz")))
    // Every name the tool writes, also gzipped; the earlier output's own rejects among them.
    for name in ["manifest.json.gz", "fetch-manifest.json.gz", "report.json.gz", "rejects.jsonl.gz"] {
      _ = try TestSupport.run("/bin/sh", ["-c", "echo '{\"x\":1}' | gzip -n > tree/dumps/\(name)"], cwd: folder.path)
    }
    let (outcome, stderr) = try Self.statements(["tree", "--out", "new", "--skip-invalid"], cwd: folder.path)
    #expect(outcome?.status == 0, "\(stderr)")
    #expect(stderr.contains("read 1 file "), "\(stderr)")
    for name in [
      "tree/old/rejects.jsonl.gz", "tree/dumps/manifest.json.gz", "tree/dumps/fetch-manifest.json.gz",
      "tree/dumps/report.json.gz", "tree/report.json",
    ] {
      #expect(
        TestSupport.text(folder.file("new/manifest.json")).contains(
          "\"path\" : \"\(name)\",\n      \"reason\" : \"written by treasury-report, not a dump\""), "\(name)")
    }
    #expect(TestSupport.text(folder.file("new/rejects.jsonl")).contains("{broken"))
    #expect(!TestSupport.text(folder.file("new/rejects.jsonl")).contains("rejects.jsonl.gz"))
  }
}
