import Foundation
import Testing

/// The two-phase path for inputs too large to hold: the same bytes out, exact line numbers, bounded memory.
@Suite struct PartitionedUnitTests {
  @Test(arguments: [["--format", "summary"], ["--list-voided"], ["--tz", "America/New_York", "--interval", "week"]])
  func partitioningChangesNoOutputByte(flags: [String]) throws {
    let folder = TestSupport.TemporaryFolder()
    try TestSupport.generate(into: folder.file("dump"), ["--accounts", "3", "--months", "3", "--seed", "9", "--messy"])
    try TestSupport.generate(
      into: folder.file("mixed"), ["--accounts", "4", "--months", "2", "--seed", "4", "--layout", "mixed"])
    for input in ["dump", "mixed"] {
      var trees: [[String: Data]] = []
      for (name, threshold) in [("whole", "100000"), ("parts", "0")] {
        let out = folder.file("\(input)-\(name)")
        let run = try TestSupport.run(
          "treasury-report",
          ["statements", folder.file(input), "--out", out, "--partition-threshold-mib", threshold, "--jobs", "3"]
            + flags)
        #expect(run.status == 0, "\(run.stderr)")
        trees.append(TestSupport.tree(out))
      }
      let summary = String(decoding: trees[0]["summary.csv"] ?? Data(), as: UTF8.self)
      #expect(TestSupport.csv(summary).count > 4)
      #expect(trees[0] == trees[1], "\(input): partitioned output differs")
    }
  }

  /// Failed cross-checks keep the whole run's order when partitioned: ledger by ledger (financial account, then
  /// currency), each ledger's transaction checks before its reported balance.
  @Test func partitioningKeepsTheOrderOfCheckFailures() throws {
    let folder = TestSupport.TemporaryFolder()
    func eur(_ line: String) -> String {
      line.replacingOccurrences(of: #""currency":"usd""#, with: #""currency":"eur""#)
    }
    let lines = [
      Lines.financialAccount("fa_1", cash: [("usd", 999), ("eur", 999)]),
      Lines.transaction("trxn_a", amount: 100, flowType: "received_credit"),
      Lines.entry("trxne_a", transaction: "trxn_a", at: 1_767_225_660, cash: 100),
      Lines.transaction("trxn_b", amount: 50, flowType: "received_credit"),
      eur(Lines.transaction("trxn_c", amount: 70, flowType: "received_credit")),
      eur(Lines.entry("trxne_c", transaction: "trxn_c", at: 1_767_225_660, cash: 70)),
      eur(Lines.transaction("trxn_d", amount: 30, flowType: "received_credit")),
    ]
    folder.write("acct_1Chk/dump.jsonl", lines.joined(separator: "\n") + "\n")
    var trees: [[String: Data]] = []
    for (name, threshold) in [("whole", "100000"), ("parts", "0")] {
      let run = try TestSupport.run(
        "treasury-report",
        ["statements", "acct_1Chk", "--out", name, "--format", "summary", "--partition-threshold-mib", threshold],
        cwd: folder.path)
      #expect(run.status == 3, "\(run.stderr)")
      trees.append(TestSupport.tree(folder.file(name)))
      let manifest = try #require(
        try JSONSerialization.jsonObject(
          with: Data(contentsOf: URL(fileURLWithPath: folder.file(name + "/manifest.json"))))
          as? [String: Any])
      let checks = (manifest["checks"] as? [[String: Any]] ?? []).map { check in
        ["check", "currency", "object"].map { check[$0] as? String ?? "" }.joined(separator: " ")
      }
      #expect(
        checks == [
          "transaction_has_entries eur trxn_d", "reported_balance eur fa_1",
          "transaction_has_entries usd trxn_b", "reported_balance usd fa_1",
        ], "\(name)")
    }
    #expect(trees[0] == trees[1], "partitioned output differs")
  }

  /// A large file is read in ranges by several workers; an error deep in it still names its true line.
  @Test func rangesKeepExactLineNumbers() throws {
    let folder = TestSupport.TemporaryFolder()
    var lines = Lines.receivedCredits(3000)
    lines[2345] = "{\"id\": \"broken\""
    lines[17] = Lines.transaction("trxn_x", amount: 1).replacingOccurrences(of: "\"amount\":1", with: "\"amount\":1.5")
    folder.write("acct_1Big/all.jsonl", lines.joined(separator: "\n") + "\n")
    let run = try TestSupport.run(
      "treasury-report", ["statements", "acct_1Big", "--out", "out", "--partition-threshold-mib", "0"], cwd: folder.path
    )
    #expect(run.status == 2)
    let errors = run.stderr.split(separator: "\n").filter { $0.hasPrefix("acct_1Big/all.jsonl:") }
    #expect(errors.map { $0.split(separator: ":")[1] } == ["18", "2346"])
    #expect(!FileManager.default.fileExists(atPath: folder.file("out")))
  }

  @Test func rangedFilesAreHashedWhole() throws {
    let folder = TestSupport.TemporaryFolder()
    var lines: [String] = []
    for i in 0..<2000 {
      lines.append(
        Lines.transaction("trxn_\(i)", amount: 100 + i, created: 1_767_225_600 + i, flowType: "received_credit"))
      lines.append(
        Lines.entry(
          "trxne_\(i)", transaction: "trxn_\(i)", at: 1_767_225_600 + i, cash: 100 + i, type: "received_credit"))
    }
    let text = lines.joined(separator: "\n")  // no newline at the end: the last line still counts
    let path = folder.write("acct_1Big/all.jsonl", text)
    let run = try TestSupport.run(
      "treasury-report", ["statements", "acct_1Big", "--out", "out", "--partition-threshold-mib", "0"], cwd: folder.path
    )
    #expect(run.status == 0, "\(run.stderr)")
    let manifest = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder.file("out/manifest.json"))))
        as? [String: Any])
    let input = try #require((manifest["inputs"] as? [[String: Any]])?.first)
    let sha = try TestSupport.run("/usr/bin/sha256sum", [path]).stdout.prefix(64)
    #expect(input["sha256"] as? String == String(sha))
    #expect(input["lines"] as? Int == 4000)
    #expect(input["bytes"] as? Int == text.utf8.count)
  }
}
