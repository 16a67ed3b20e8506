import Foundation
import Testing

/// Runs stopped by a signal: what they leave beside the output folder, and what the next run does about it.
///
/// A run reading standard input that stays open is stopped mid-way deterministically: its staging folder exists
/// (it is made before reading) and it cannot finish until the input is closed.
@Suite struct InterruptedRunTests {
  static let credit = Lines.transaction("trxn_1", amount: 500, flowType: "received_credit")
  static let creditEntry = Lines.entry("trxn_1", transaction: "trxn_1", at: 1_767_225_600, cash: 500)
  static let dump = credit + "\n" + creditEntry + "\n"
  /// Beyond Linux's largest pid (2^22): `kill(pid, 0)` fails with ESRCH, so such a process is surely gone.
  static let deadPID = 1 << 30

  /// A folder with a dump `S` and an earlier output `o` of it.
  private static func earlierOutput() throws -> TestSupport.TemporaryFolder {
    let folder = TestSupport.TemporaryFolder()
    folder.write("S/acct_1Test/dump.jsonl", dump)
    let first = try TestSupport.run("treasury-report", ["statements", "S", "--out", "o"], cwd: folder.path)
    #expect(first.status == 0, "\(first.stderr)")
    return folder
  }

  /// Starts `statements - --out o` and waits until its staging folder exists.
  private static func startReadingStandardInput(in folder: TestSupport.TemporaryFolder) throws -> RunningProcess {
    let run = try RunningProcess(
      "treasury-report", ["statements", "-", "--account", "acct_1Test", "--out", "o", "--replace"], cwd: folder.path)
    run.send(credit + "\n")
    let staging = folder.file(".o.partial-\(run.pid)")
    #expect(RunningProcess.eventually { FileManager.default.fileExists(atPath: staging) }, "no \(staging)")
    return run
  }

  private static func entries(_ folder: TestSupport.TemporaryFolder) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
  }

  @Test(arguments: [SIGTERM, SIGINT, SIGHUP])
  func aSignalRemovesTheStagingFolderAndExits128PlusIt(signal: Int32) throws {
    let folder = try Self.earlierOutput()
    let before = TestSupport.tree(folder.file("o"))
    let run = try Self.startReadingStandardInput(in: folder)
    run.signal(signal)
    let outcome = try #require(run.wait())
    #expect(!outcome.signalled && outcome.status == 128 + signal, "\(outcome) \(run.stderr)")
    #expect(try Self.entries(folder) == ["S", "o"])
    #expect(TestSupport.tree(folder.file("o")) == before)
    #expect(
      run.stderr.contains("stopped by signal \(signal) (SIG")
        && run.stderr.contains(
          "; the unfinished output was removed and --out left as it was"),
      "\(run.stderr)")
  }

  @Test func anIgnoredHangupStaysIgnored() throws {
    // As under nohup: the run must not start dying of a signal its caller chose to ignore.
    let folder = TestSupport.TemporaryFolder()
    let binary = TestSupport.binaries.appendingPathComponent("treasury-report").path
    let run = try RunningProcess(
      "/bin/sh",
      [
        "-c", "trap '' HUP; exec \"$@\"", "sh", binary, "statements", "-", "--account", "acct_1Test", "--out", "o",
        "--replace",
      ],
      cwd: folder.path)
    run.send(Self.credit + "\n")
    #expect(RunningProcess.eventually { FileManager.default.fileExists(atPath: folder.file(".o.partial-\(run.pid)")) })
    run.signal(SIGHUP)
    run.send(Self.creditEntry + "\n")
    run.closeInput()
    let outcome = try #require(run.wait())
    #expect(!outcome.signalled && outcome.status == 0, "\(outcome) \(run.stderr)")
    #expect(TestSupport.records(folder.file("o/summary.csv")).first?["closing_cash"] == "5.00")
  }

  @Test func theNextRunRemovesWhatAKilledRunLeft() throws {
    let folder = try Self.earlierOutput()
    let run = try Self.startReadingStandardInput(in: folder)
    run.signal(SIGKILL)
    let outcome = try #require(run.wait())
    #expect(outcome.signalled && outcome.status == SIGKILL)
    let leftover = ".o.partial-\(run.pid)"
    #expect(try Self.entries(folder) == [leftover, "S", "o"])

    let next = try TestSupport.run(
      "treasury-report", ["statements", "S", "--out", "o", "--replace", "--report-json", "report.json"],
      cwd: folder.path)
    #expect(next.status == 0, "\(next.stderr)")
    #expect(try Self.entries(folder) == ["S", "o", "report.json"])
    #expect(
      next.stderr.contains(
        "treasury-report: removed \(folder.file(leftover)), left by process \(run.pid), which is no longer running"),
      "\(next.stderr)")
    #expect(TestSupport.text(folder.file("report.json")).contains(leftover))
  }

  @Test func aLiveRunsStagingFolderIsNeverRemoved() throws {
    let folder = try Self.earlierOutput()
    let live = try Self.startReadingStandardInput(in: folder)
    // Stand-ins: one of a live process (this test), one of a process that cannot exist, and its `.previous`.
    let mine = ".o.partial-\(getpid())"
    let dead = ".o.partial-\(Self.deadPID)"
    folder.write(mine + "/summary.csv", "mine")
    folder.write(dead + "/summary.csv", "dead")
    folder.write(dead + ".previous/summary.csv", "dead")

    let next = try TestSupport.run("treasury-report", ["statements", "S", "--out", "o", "--replace"], cwd: folder.path)
    #expect(next.status == 0, "\(next.stderr)")
    #expect(try Self.entries(folder) == [".o.partial-\(live.pid)", mine, "S", "o"].sorted())
    #expect(TestSupport.text(folder.file(mine + "/summary.csv")) == "mine")
    #expect(next.stderr.contains("removed \(folder.file(dead)), left by process \(Self.deadPID)"), "\(next.stderr)")
    #expect(next.stderr.contains("removed \(folder.file(dead + ".previous")), left by process \(Self.deadPID)"))

    live.signal(SIGTERM)
    #expect(try #require(live.wait()).status == 128 + SIGTERM)
    #expect(try Self.entries(folder) == [mine, "S", "o"])
  }

  @Test func anOutputMovedAsideByAKilledCommitIsPutBack() throws {
    // Killed between moving the old output aside and moving the new one in: the old one is all there is.
    let folder = try Self.earlierOutput()
    let before = TestSupport.tree(folder.file("o"))
    let aside = ".o.partial-\(Self.deadPID).previous"
    try FileManager.default.moveItem(atPath: folder.file("o"), toPath: folder.file(aside))
    folder.write("bad/acct_1Test/dump.jsonl", "{oops\n")
    let next = try TestSupport.run(
      "treasury-report", ["statements", "bad", "--out", "o", "--replace"], cwd: folder.path)
    #expect(next.status == 2, "\(next.stderr)")
    #expect(TestSupport.tree(folder.file("o")) == before)
    #expect(try Self.entries(folder) == ["S", "bad", "o"])
    #expect(
      next.stderr.contains(
        "treasury-report: put back o from \(folder.file(aside)), left by process \(Self.deadPID)"),
      "\(next.stderr)")
  }
}
