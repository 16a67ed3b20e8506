import Foundation
import Testing

/// `--only acct_…|fa_…` limits a run to those accounts; a value (or `--account`) that matches nothing is an error.
@Suite struct AccountFilterTests {
  static let northwind = "acct_1NbQxRk2Lp7tYz01"
  static let northwindFA = "fa_1NorthwindOps000001"
  static let blueHarborFA = "fa_1BlueHarborMain0002"
  static let platformFA = "fa_1PlatformTreasury01"

  private static func statements(_ arguments: [String], out: String, in folder: TestSupport.TemporaryFolder) throws
    -> TestSupport.Run
  {
    try TestSupport.run(
      "treasury-report", ["statements", TestSupport.samples, "--out", out] + arguments, cwd: folder.path)
  }

  private static func manifest(_ path: String) throws -> [String: Any] {
    try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path + "/manifest.json")))
        as? [String: Any])
  }

  /// The summary, accounts.csv, statement folders and manifest hold the named accounts only, read whole or through
  /// partitions; the statements are those of a run over everything.
  @Test(arguments: [
    ([northwind], [northwindFA], "64"),
    ([platformFA], [platformFA], "64"),
    ([northwind, platformFA], [northwindFA, platformFA], "64"),
    ([northwind, platformFA], [northwindFA, platformFA], "0"),
  ])
  func onlyTheNamedAccountsAreWritten(only: [String], expected: [String], threshold: String) throws {
    let folder = TestSupport.TemporaryFolder()
    let all = try Self.statements([], out: "all", in: folder)
    #expect(all.status == 0, "\(all.stderr)")
    let run = try Self.statements(
      only.flatMap { ["--only", $0] } + ["--partition-threshold-mib", threshold], out: "some", in: folder)
    #expect(run.status == 0, "\(run.stderr)")
    let rows = TestSupport.records(folder.file("some/summary.csv"))
    #expect(Set(rows.map { $0["financial_account"] ?? "" }) == Set(expected))
    // Periods follow the activity read: with acct_ values only, that account's files (its last activity is in
    // March; the whole run's is in April).
    let months = only == [Self.northwind] ? 3 : 4
    #expect(Set(rows.map { $0["period_start"] ?? "" }).count == months)
    let periods = Set(rows.map { $0["period_start"] ?? "" })
    #expect(
      rows
        == TestSupport.records(folder.file("all/summary.csv")).filter {
          expected.contains($0["financial_account"] ?? "") && periods.contains($0["period_start"] ?? "")
        })
    #expect(TestSupport.records(folder.file("some/accounts.csv")).map { $0["financial_account"] ?? "" } == expected)
    let some = TestSupport.tree(folder.file("some"))
    let whole = TestSupport.tree(folder.file("all"))
    for (path, bytes) in some where path.contains("/fa_") {
      #expect(expected.contains { path.contains("/" + $0 + "/") }, "\(path)")
      #expect(whole[path] == bytes, "\(path)")
    }
    let manifest = try Self.manifest(folder.file("some"))
    #expect((manifest["options"] as? [String: String])?["only"] == only.sorted().joined(separator: ","))
    let inputs = (manifest["inputs"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String }
    if only == [Self.northwind] {
      // Only that connected account's files are read.
      #expect(inputs.count == 3 && inputs.allSatisfy { $0.contains("/" + Self.northwind + "/") }, "\(inputs)")
    } else {
      #expect(inputs.count == 12, "\(inputs)")
    }
  }

  @Test(arguments: [
    (
      ["--only", "acct_1Nowhere"],
      "error: --only acct_1Nowhere: no input is filed under that connected account (an acct_… folder at or below an INPUT, or --account); the inputs hold acct_1NbQxRk2Lp7tYz01, acct_1OcRySl3Mq8uZa02\n"
    ),
    (
      ["--only", "fa_1Nowhere", "--only", northwind],
      "error: --only fa_1Nowhere: no such financial account in the inputs; they hold fa_1BlueHarborMain0002, fa_1NorthwindOps000001, fa_1PlatformTreasury01\n"
    ),
    (
      ["--only", "trxn_1"],
      "error: --only takes a connected account (acct_…) or a financial account (fa_…) id, found 'trxn_1'\n"
    ),
  ])
  func aValueThatMatchesNothingIsAnError(arguments: [String], message: String) throws {
    let folder = TestSupport.TemporaryFolder()
    let run = try Self.statements(arguments, out: "out", in: folder)
    #expect(run.status == 1)
    #expect(run.stderr.hasPrefix(message), "\(run.stderr)")
    #expect(!FileManager.default.fileExists(atPath: folder.file("out")))
  }

  /// `--account` names the account of inputs under no acct_ folder; when every input has one, it is an error.
  @Test func anAccountFlagThatAppliesToNoInputIsAnError() throws {
    let folder = TestSupport.TemporaryFolder()
    let run = try TestSupport.run(
      "treasury-report",
      ["statements", TestSupport.samples + "/" + Self.northwind, "--out", "out", "--account", "acct_1Other"],
      cwd: folder.path)
    #expect(run.status == 1)
    #expect(
      run.stderr.hasPrefix(
        "error: --account acct_1Other applies to no input: every input is filed under an acct_… folder, which names its account; leave --account out (or use --only acct_1Other to limit the run to that account)\n"
      ), "\(run.stderr)")
    // samples/platform is under no acct_ folder: there --account applies.
    let applied = try TestSupport.run(
      "treasury-report",
      ["statements", TestSupport.samples + "/platform", "--out", "out", "--account", "acct_1Other"], cwd: folder.path)
    #expect(applied.status == 0, "\(applied.stderr)")
    #expect(TestSupport.records(folder.file("out/summary.csv")).first?["account"] == "acct_1Other")
  }
}
