import Foundation
import Testing

/// Two valid lines, one in 1970 and one in 8999, once made 84,000 monthly statements (253,083 with more
/// accounts, 1.7 GB). A run now refuses a span of more than `--max-periods` periods (50 years' worth by default:
/// 600 months), naming
/// the earliest and latest objects, and writes nothing.
@Suite struct PeriodSpanAttackTests {
  static let earliest = 0  // 1970-01-01T00:00:00Z
  static let latest = 221_845_391_999  // 8999-12-31T23:59:59Z, the latest time the input accepts

  /// A posted credit with its entry, at `at`.
  static func credit(_ id: String, at: Int, fa: String = "fa_1") -> String {
    Lines.transaction(id, amount: 100, created: at, posted: at, fa: fa, flowType: "received_credit") + "\n"
      + Lines.entry("e_" + id, transaction: id, at: at, cash: 100, fa: fa, type: "received_credit")
  }

  /// Runs `statements dumps --out out` in a folder holding `dumps`, under `BoundedRun` so that the old
  /// unbounded run fails the test instead of filling the disk.
  private func statements(_ dumps: [String: String], _ flags: [String]) throws -> (
    BoundedRun.Result, TestSupport.TemporaryFolder
  ) {
    let folder = TestSupport.TemporaryFolder()
    for (path, text) in dumps { folder.write(path, text) }
    let run = try BoundedRun.run(
      "treasury-report", ["statements", "dumps", "--out", "out"] + flags, timeout: 60, cwd: folder.path)
    return (run, folder)
  }

  private func expectRefusedSpan(
    _ run: BoundedRun.Result, _ folder: TestSupport.TemporaryFolder, earliest: String, latest: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    #expect(run.status == 2, "\(run.stderr)", sourceLocation: sourceLocation)
    #expect(run.peakMiB < 200, "\(run.peakMiB) MiB", sourceLocation: sourceLocation)
    #expect(
      run.stderr.contains("error: the statements would span more than 600 month periods (--max-periods)"),
      "\(run.stderr)", sourceLocation: sourceLocation)
    #expect(run.stderr.contains(earliest), "\(run.stderr)", sourceLocation: sourceLocation)
    #expect(run.stderr.contains(latest), "\(run.stderr)", sourceLocation: sourceLocation)
    #expect(
      run.stderr.contains("choose the periods with --from and --to (or --period), or raise --max-periods"),
      sourceLocation: sourceLocation)
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["dumps"], sourceLocation: sourceLocation)
  }

  /// One connected account: its own unit refuses the span before building a statement.
  @Test func oneAccountSpanningMillenniaIsRefused() throws {
    let (run, folder) = try statements(
      ["dumps/acct_1A/t.jsonl": Self.credit("trxn_late", at: Self.latest) + "\n" + Self.credit("trxn_early", at: 0)],
      [])
    try expectRefusedSpan(
      run, folder, earliest: "dumps/acct_1A/t.jsonl:3: the earliest activity: trxn_early at 1970-01-01T00:00:00+00:00",
      latest: "dumps/acct_1A/t.jsonl:1: the latest activity: trxn_late at 8999-12-31T23:59:59+00:00")
  }

  /// Two connected accounts, each within the limit: the run's span, from one to the other, is refused.
  @Test func twoAccountsWhoseSpansTogetherAreTooLongAreRefused() throws {
    let (run, folder) = try statements(
      [
        "dumps/acct_1A/t.jsonl": Self.credit("trxn_early", at: Self.earliest, fa: "fa_A"),
        "dumps/acct_1B/t.jsonl": Self.credit("trxn_late", at: Self.latest, fa: "fa_B"),
      ], ["--format", "summary"])
    try expectRefusedSpan(
      run, folder, earliest: "dumps/acct_1A/t.jsonl:1: the earliest activity: trxn_early at",
      latest: "dumps/acct_1B/t.jsonl:1: the latest activity: trxn_late at")
  }

  /// The partitioned path (phase A routes objects to files, recycling its symbols) names the same objects.
  @Test func aPartitionedAccountNamesTheSameObjects() throws {
    let lines =
      [Self.credit("trxn_early", at: Self.earliest)] + (0..<3).map { Self.credit("trxn_\($0)", at: 1_767_225_600 + $0) }
      + [Self.credit("trxn_late", at: Self.latest)]
    let (run, folder) = try statements(
      ["dumps/acct_1A/t.jsonl": lines.joined(separator: "\n")], ["--partition-threshold-mib", "0", "--jobs", "2"])
    try expectRefusedSpan(
      run, folder, earliest: "dumps/acct_1A/t.jsonl:1: the earliest activity: trxn_early",
      latest: "dumps/acct_1A/t.jsonl:9: the latest activity: trxn_late")
  }

  /// The limit counts periods of the run, not statements: three accounts over 400 days make 1,200 daily
  /// statements under a limit of 600.
  @Test func theLimitCountsPeriodsNotAccounts() throws {
    let jan1 = 1_577_836_800  // 2020-01-01T00:00:00Z
    let dumps = Dictionary(
      uniqueKeysWithValues: ["A", "B", "C"].map { name in
        (
          "dumps/acct_1\(name)/t.jsonl",
          Self.credit("trxn_\(name)1", at: jan1, fa: "fa_\(name)") + "\n"
            + Self.credit("trxn_\(name)2", at: jan1 + 399 * 86_400, fa: "fa_\(name)")
        )
      })
    let (run, folder) = try statements(dumps, ["--interval", "day", "--format", "summary"])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(TestSupport.records(folder.file("out/summary.csv")).count == 3 * 400)
  }

  /// `--max-periods` raises the limit; a span one period longer than it is refused.
  @Test func maxPeriodsRaisesTheLimitExactly() throws {
    let jan1 = 1_577_836_800  // 2020-01-01T00:00:00Z
    let dump = [
      "dumps/acct_1A/t.jsonl": Self.credit("trxn_1", at: jan1) + "\n" + Self.credit("trxn_2", at: jan1 + 699 * 86_400)
    ]
    let (refused, _) = try statements(dump, ["--interval", "day", "--format", "summary", "--max-periods", "699"])
    #expect(refused.status == 2)
    #expect(refused.stderr.contains("more than 699 day periods"), "\(refused.stderr)")
    let (accepted, folder) = try statements(dump, ["--interval", "day", "--format", "summary", "--max-periods", "700"])
    #expect(accepted.status == 0, "\(accepted.stderr)")
    #expect(TestSupport.records(folder.file("out/summary.csv")).count == 700)
  }

  /// A `--from` long before the data adds no period: statements start at the first activity anyway.
  @Test func anEarlyFromDoesNotCount() throws {
    let (run, folder) = try statements(
      ["dumps/acct_1A/t.jsonl": Self.credit("trxn_1", at: 1_767_225_600)],
      ["--interval", "day", "--from", "1970-01-01", "--format", "summary"])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(TestSupport.records(folder.file("out/summary.csv")).count == 1)
  }

  /// A clip date that sets an end of the span is named instead of an object.
  @Test func aClipDateThatSetsAnEndIsNamed() throws {
    let (run, _) = try statements(
      ["dumps/acct_1A/t.jsonl": Self.credit("trxn_early", at: 0) + "\n" + Self.credit("trxn_late", at: Self.latest)],
      ["--from", "2000-01-01"])
    #expect(run.status == 2)
    #expect(run.stderr.contains("from 2000-01 to 8999-12"), "\(run.stderr)")
    #expect(run.stderr.contains("the first period holds --from"))
    #expect(!run.stderr.contains("trxn_early"))
    #expect(run.stderr.contains("dumps/acct_1A/t.jsonl:3: the latest activity: trxn_late"))
  }

  /// An explicit range is held to the same limit, before any input is read.
  @Test func aHugeExplicitRangeIsAUsageError() throws {
    let (run, folder) = try statements(
      ["dumps/acct_1A/t.jsonl": Self.credit("trxn_1", at: 1_767_225_600)],
      ["--interval", "day", "--from", "1970-01-01", "--to", "9000-01-01"])
    #expect(run.status == 1, "\(run.stderr)")
    #expect(
      run.stderr.contains(
        "error: --from 1970-01-01 --to 9000-01-01 makes more than 18263 day periods (--max-periods); narrow the range"),
      "\(run.stderr)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["dumps"])
    let (one, _) = try statements(
      ["dumps/acct_1A/t.jsonl": Self.credit("trxn_1", at: 1_767_225_600)],
      ["--interval", "range", "--from", "1970-01-01", "--to", "9000-01-01", "--format", "summary"])
    #expect(one.status == 0, "one period, however long: \(one.stderr)")
  }

  /// The default limit is 50 years in any interval: three years of daily statements run, 60 years of days do not.
  @Test func theDefaultLimitIsFiftyYearsOfPeriods() throws {
    let jan1 = 1_672_531_200  // 2023-01-01T00:00:00Z
    let (daily, folder) = try statements(
      [
        "dumps/acct_1A/t.jsonl": Self.credit("trxn_1", at: jan1) + "\n"
          + Self.credit("trxn_2", at: jan1 + 1_095 * 86_400)
      ],
      ["--interval", "day", "--format", "summary"])
    #expect(daily.status == 0, "\(daily.stderr)")
    #expect(TestSupport.records(folder.file("out/summary.csv")).count == 1_096)
    let (decades, _) = try statements(
      ["dumps/acct_1A/t.jsonl": Self.credit("trxn_1", at: 0) + "\n" + Self.credit("trxn_2", at: 60 * 31_557_600)],
      ["--interval", "day", "--format", "summary"])
    #expect(decades.status == 2)
    #expect(decades.stderr.contains("more than 18263 day periods (--max-periods)"), "\(decades.stderr)")
    let (years, _) = try statements(
      ["dumps/acct_1A/t.jsonl": Self.credit("trxn_1", at: 0) + "\n" + Self.credit("trxn_2", at: 60 * 31_557_600)],
      ["--interval", "year", "--format", "summary"])
    #expect(years.status == 2)
    #expect(years.stderr.contains("more than 50 year periods (--max-periods)"), "\(years.stderr)")
  }

  @Test func maxPeriodsMustBePositive() throws {
    let (result, _) = try statements(
      ["dumps/acct_1A/t.jsonl": Self.credit("trxn_1", at: 1_767_225_600)], ["--max-periods", "0"])
    #expect(result.status == 1)
    #expect(result.stderr.contains("--max-periods must be at least 1"), "\(result.stderr)")
  }
}
