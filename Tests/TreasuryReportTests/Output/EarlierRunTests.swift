import Foundation
import Testing

/// `--out` over an earlier run: replaced only with `--replace`; without it, exit 1 saying what the folder holds.
@Suite struct EarlierRunTests {
  /// Runs `statements samples --out out ARGS` in `folder`.
  private static func statements(_ arguments: [String], in folder: TestSupport.TemporaryFolder) throws
    -> TestSupport.Run
  {
    try TestSupport.run(
      "treasury-report", ["statements", TestSupport.samples, "--out", "out"] + arguments, cwd: folder.path)
  }

  /// All months, then March alone into the same folder: refused, and January, February, April and the file the
  /// user put there are still there; with `--replace`, March alone is what the folder holds.
  @Test func aSecondRunIntoTheSameFolderNeedsReplace() throws {
    let folder = TestSupport.TemporaryFolder()
    let first = try Self.statements([], in: folder)
    #expect(first.status == 0, "\(first.stderr)")
    folder.write("out/notes.txt", "the accountant's notes")
    // The manifest's modification time is the run's time: set it to a known instant.
    let written = Date(timeIntervalSince1970: 1_780_000_000)  // 2026-05-28 20:26:40 UTC
    try FileManager.default.setAttributes([.modificationDate: written], ofItemAtPath: folder.file("out/manifest.json"))
    let before = TestSupport.tree(folder.file("out"))

    let refused = try Self.statements(["--period", "2026-03"], in: folder)
    #expect(refused.status == 1)
    #expect(
      refused.stderr.hasPrefix(
        "out: error: --out holds an earlier run (periods 2026-01, 2026-02, 2026-03, 2026-04, 12 statements, written 2026-05-28 20:26:40 UTC, and 1 entry its manifest does not list, which would go too: notes.txt); pass --replace to replace the whole folder with this run, or choose another --out\n"
      ), "\(refused.stderr)")
    #expect(TestSupport.tree(folder.file("out")) == before)
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["out"])

    let replaced = try Self.statements(["--period", "2026-03", "--replace"], in: folder)
    #expect(replaced.status == 0, "\(replaced.stderr)")
    let periods = Set(TestSupport.records(folder.file("out/summary.csv")).map { $0["period_start"] ?? "" })
    #expect(periods == ["2026-03-01T00:00:00+00:00"])
    #expect(!FileManager.default.fileExists(atPath: folder.file("out/notes.txt")))
  }

  /// A summary-only run has no period folders: its statement count and time are shown; archives name periods.
  @Test(arguments: [
    (["--format", "summary"], "12 statements, written "),
    (["--format", "summary", "--archive", "--period", "2026-02"], "period 2026-02, 3 statements, written "),
  ])
  func whatTheEarlierRunHeldIsShown(arguments: [String], shown: String) throws {
    let folder = TestSupport.TemporaryFolder()
    #expect(try Self.statements(arguments, in: folder).status == 0)
    let refused = try Self.statements(arguments, in: folder)
    #expect(refused.status == 1)
    #expect(refused.stderr.hasPrefix("out: error: --out holds an earlier run (" + shown), "\(refused.stderr)")
  }

  /// An empty folder is no earlier run: written without `--replace`; a folder the tool did not write is refused
  /// even with it.
  @Test func anEmptyFolderIsUsedAndAForeignOneRefusedEvenWithReplace() throws {
    let folder = TestSupport.TemporaryFolder()
    try FileManager.default.createDirectory(atPath: folder.file("out"), withIntermediateDirectories: false)
    #expect(try Self.statements([], in: folder).status == 0)
    let other = TestSupport.TemporaryFolder()
    other.write("out/notes.txt", "mine")
    let refused = try Self.statements(["--replace"], in: other)
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("holds no treasury-report manifest.json"), "\(refused.stderr)")
    #expect(TestSupport.text(other.file("out/notes.txt")) == "mine")
  }
}
