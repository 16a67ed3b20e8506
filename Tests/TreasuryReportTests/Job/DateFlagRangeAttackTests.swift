import Foundation
import Testing

@testable import TreasuryInput
@_spi(Inlining) @testable import TreasuryModel

/// Mistyped years in every date and time flag: a usage error (exit 1) at once, naming the flag and the range,
/// never a hang (`--from 0026-03-01` once walked periods forever: Foundation's calendar is Julian before 1582).
@Suite struct DateFlagRangeAttackTests {
  /// Runs the built binary under `BoundedRun`, so that a hang fails the test (killed at the timeout) instead of
  /// stalling it.
  private func bounded(_ arguments: [String], cwd: String) throws -> BoundedRun.Result {
    try BoundedRun.run("treasury-report", arguments, timeout: 60, cwd: cwd)
  }

  @Test(arguments: [
    (["--from", "0026-03-01"], "--from 0026-03-01"),
    (["--from", "0026-03-01", "--to", "2026-04-01"], "--from 0026-03-01"),
    (["--from", "2026-03-01", "--to", "9999-01-01"], "--to 9999-01-01"),
    (["--to", "1969-12-31"], "--to 1969-12-31"),
    (["--interval", "range", "--from", "1582-10-04", "--to", "2026-01-01"], "--from 1582-10-04"),
    (["--period", "0026-03"], "--period 0026-03"),
    (["--period", "0001"], "--period 0001"),
    (["--period", "1970-W01"], "--period 1970-W01"),
    (["--period", "9999-12-31"], "--period 9999-12-31"),
    (["--format", "camt053", "--as-of", "0026-03-01"], "--as-of 0026-03-01"),
    (["--format", "ofx", "--as-of", "0026-03-01T00:00:00Z"], "--as-of 0026-03-01T00:00:00Z"),
    (["--format", "bai2", "--as-of", "9999-12-31T23:59:59+14:00"], "--as-of 9999-12-31T23:59:59+14:00"),
  ])
  func aDateOutsideTheRangeIsAUsageError(flags: [String], named: String) throws {
    let folder = TestSupport.TemporaryFolder()
    let out = folder.file("out")
    let run = try bounded(["statements", TestSupport.samples, "--out", out] + flags, cwd: folder.path)
    #expect(run.status == 1, "\(run.stderr)")
    #expect(run.peakMiB < 200, "\(run.peakMiB) MiB")
    #expect(run.stderr.contains("error: \(named) is out of range"), "\(run.stderr)")
    #expect(run.stderr.contains("1970-01-01 … 9000-12-31"), "\(run.stderr)")
    #expect(!FileManager.default.fileExists(atPath: out))
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
  }

  /// The week label names its Monday: 1970-W01 starts on 1969-12-29, which the message says.
  @Test func aWeekLabelSaysWhereItStarts() throws {
    let folder = TestSupport.TemporaryFolder()
    let run = try bounded(
      ["statements", TestSupport.samples, "--out", folder.file("out"), "--period", "1970-W01"], cwd: folder.path)
    #expect(run.stderr.contains("starts on 1969-12-29"), "\(run.stderr)")
  }

  /// The edges of the range are accepted: the earliest and latest dates a dump can hold.
  @Test func theEdgesOfTheRangeAreAccepted() throws {
    let folder = TestSupport.TemporaryFolder()
    let run = try bounded(
      [
        "statements", TestSupport.samples, "--out", folder.file("out"), "--interval", "range", "--from", "1970-01-01",
        "--to", "9000-12-31", "--format", "summary,bai2", "--as-of", "9000-12-31T23:59:59Z",
      ], cwd: folder.path)
    #expect(run.status == 0, "\(run.stderr)")
    let rows = TestSupport.records(folder.file("out/summary.csv"))
    #expect(!rows.isEmpty && rows.allSatisfy { $0["period_start"] == "1970-01-01T00:00:00+00:00" })
  }

  @Test(arguments: ["0026-03-01", "1969-12-31", "9001-01-01"])
  func fetchSinceOutsideTheRangeIsAUsageError(since: String) throws {
    let folder = TestSupport.TemporaryFolder()
    let run = try bounded(
      ["fetch", "--out", folder.file("dumps"), "--platform", "--since", since], cwd: folder.path)
    #expect(run.status == 1, "\(run.stderr)")
    #expect(run.stderr.contains("--since \(since) is out of range"), "\(run.stderr)")
    #expect(!FileManager.default.fileExists(atPath: folder.file("dumps")))
  }

  @Test func theRangeIsTheOneTheInputAccepts() {
    let range = CivilDate.flagRange
    #expect(range.lowerBound == CivilDate(year: 1970, month: 1, day: 1))
    #expect(range.upperBound == CivilDate(year: 9000, month: 12, day: 31))
    // The input's latest timestamp (ObjectDecoder.timeRange) falls inside it in every zone (UTC+14 included).
    let latest = CivilDate(localSeconds: ObjectDecoder.timeRange.upperBound + 14 * 3600)
    #expect(range.contains(latest))
  }
}
