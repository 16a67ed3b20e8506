import Foundation
import Testing

/// Properties on generated dumps the tool has never seen: clean and messy, in several zones.
@Suite(.serialized, .enabled(if: ExternalTool.available(ExternalTool.python3), "needs python3"))
struct GeneratedDumpTests {
  /// Runs the tool and the independent Python reference; their summary.csv must be identical.
  private func compareWithReference(_ dump: String, tz: String, interval: String = "month") throws -> [[String: String]]
  {
    let folder = TestSupport.TemporaryFolder()
    let out = folder.file("out")
    let run = try TestSupport.run(
      "treasury-report", ["statements", dump, "--out", out, "--tz", tz, "--interval", interval])
    #expect(run.status == 0, "\(run.stderr)")
    let reference = try TestSupport.run(
      "/usr/bin/env",
      [
        "python3", TestSupport.root.appendingPathComponent("Tests/reference/summary.py").path, dump, "--tz", tz,
        "--interval", interval,
      ])
    #expect(reference.status == 0, "\(reference.stderr)")
    let ours = TestSupport.text(out + "/summary.csv")
    #expect(!reference.stdout.isEmpty)
    #expect(ours == reference.stdout, "summary.csv differs from the reference computation")
    return TestSupport.records(out + "/summary.csv")
  }

  @Test(arguments: [
    ("UTC", "month", UInt64(11)), ("America/New_York", "month", 12), ("America/New_York", "week", 13),
    ("Asia/Kolkata", "quarter", 14), ("America/New_York", "day", 15),
  ])
  func summaryMatchesAnIndependentComputation(tz: String, interval: String, seed: UInt64) throws {
    let folder = TestSupport.TemporaryFolder()
    try TestSupport.generate(
      into: folder.file("dump"), ["--accounts", "3", "--months", "3", "--seed", String(seed), "--messy", "--crlf"])
    let rows = try compareWithReference(folder.file("dump"), tz: tz, interval: interval)
    #expect(rows.count >= 3)
    // The generator's dumps are consistent, so every statement reconciles.
    #expect(rows.allSatisfy { $0["reconciled"] == "true" })
  }

  @Test func messyCopiesGiveTheSameStatementsAsCleanOnes() throws {
    let folder = TestSupport.TemporaryFolder()
    try TestSupport.generate(into: folder.file("clean"), ["--accounts", "4", "--months", "2", "--seed", "7"])
    try TestSupport.generate(
      into: folder.file("messy"), ["--accounts", "4", "--months", "2", "--seed", "7", "--messy", "--crlf"])
    var trees: [[String: Data]] = []
    for name in ["clean", "messy"] {
      let run = try TestSupport.run(
        "treasury-report",
        ["statements", folder.file(name), "--out", folder.file("out-" + name), "--tz", "America/New_York"])
      #expect(run.status == 0, "\(run.stderr)")
      var tree = TestSupport.tree(folder.file("out-" + name))
      // The manifest names the inputs, which differ; everything else must be identical.
      #expect(tree.removeValue(forKey: "manifest.json") != nil)
      trees.append(tree)
    }
    #expect(trees[0].count > 10)
    #expect(trees[0] == trees[1])
  }

  @Test func outputDoesNotDependOnJobsOrRepeats() throws {
    let folder = TestSupport.TemporaryFolder()
    try TestSupport.generate(into: folder.file("dump"), ["--accounts", "5", "--months", "2", "--seed", "3", "--messy"])
    var trees: [[String: Data]] = []
    for (i, jobs) in ["1", "4", "4"].enumerated() {
      let run = try TestSupport.run(
        "treasury-report", ["statements", folder.file("dump"), "--out", folder.file("out\(i)"), "--jobs", jobs])
      #expect(run.status == 0)
      trees.append(TestSupport.tree(folder.file("out\(i)")))
    }
    #expect(trees[0] == trees[1] && trees[1] == trees[2])
  }

  @Test func oneMixedFileGivesTheSameTotals() throws {
    let folder = TestSupport.TemporaryFolder()
    try TestSupport.generate(into: folder.file("folders"), ["--accounts", "3", "--months", "2", "--seed", "5"])
    try TestSupport.generate(
      into: folder.file("mixed"), ["--accounts", "3", "--months", "2", "--seed", "5", "--layout", "mixed"])
    var summaries: [[[String: String]]] = []
    for name in ["folders", "mixed"] {
      let run = try TestSupport.run(
        "treasury-report",
        ["statements", folder.file(name), "--out", folder.file("out-" + name), "--format", "summary"])
      #expect(run.status == 0)
      // Without folders the connected account is unknown; compare everything else.
      summaries.append(
        TestSupport.records(folder.file("out-\(name)/summary.csv")).map { $0.filter { $0.key != "account" } })
    }
    #expect(summaries[0].count > 3)
    #expect(summaries[0] == summaries[1])
  }

  @Test func statementIdentityAndRunningBalancesHoldInEveryFile() throws {
    let folder = TestSupport.TemporaryFolder()
    try TestSupport.generate(
      into: folder.file("dump"), ["--accounts", "2", "--months", "3", "--seed", "21", "--messy"])
    let out = folder.file("out")
    let run = try TestSupport.run("treasury-report", ["statements", folder.file("dump"), "--out", out])
    #expect(run.status == 0)
    func cents(_ text: String?) -> Int { Int((text ?? "").replacingOccurrences(of: ".", with: "")) ?? .min }
    for row in TestSupport.records(out + "/summary.csv") {
      let opening =
        cents(row["opening_cash"]) + cents(row["opening_inbound_pending"]) + cents(row["opening_outbound_pending"])
      let closing =
        cents(row["closing_cash"]) + cents(row["closing_inbound_pending"]) + cents(row["closing_outbound_pending"])
      #expect(closing - opening == cents(row["credits"]) - cents(row["debits"]))
      let label = String((row["period_start"] ?? "").prefix(7))
      let lines = TestSupport.records(out + "/\(label)/\(row["financial_account"] ?? "")/transactions.csv")
      #expect(lines.count == Int(row["posted_count"] ?? ""))
      // Each running balance is the previous one plus the line's amount; the last is the closing booked balance.
      var running = opening
      for line in lines {
        running += cents(line["amount"])
        #expect(cents(line["running_booked_balance"]) == running)
      }
      #expect(running == closing)
      #expect(
        TestSupport.records(out + "/\(label)/\(row["financial_account"] ?? "")/pending.csv").count
          == Int(row["open_count"] ?? ""))
    }
  }
}
