import Foundation
import Testing

@testable import TreasuryJob

/// One transaction or entry id under two financial accounts would count its money in both statements. Ids are
/// global Stripe object ids, so that is a contradiction (exit 2, nothing written) wherever the copies are: one
/// file, two partitions of a big input, two connected accounts; and the message is the same whatever the layout,
/// `--jobs` or partition threshold.
@Suite struct IdSplitAttackTests {
  static let credit = Lines.transaction("trxn_1", amount: 500, flowType: "received_credit")
  static let entry = Lines.entry("trxne_1", transaction: "trxn_1", at: 1_767_225_600, cash: 500)

  static func statements(_ folder: TestSupport.TemporaryFolder, _ input: String, _ flags: [String]) throws
    -> TestSupport.Run
  {
    try TestSupport.run(
      "treasury-report", ["statements", input, "--out", "out", "--format", "summary"] + flags, cwd: folder.path)
  }

  /// The error lines of a run (the summary of what was read follows them).
  static func errors(_ run: TestSupport.Run) -> String {
    run.stderr.split(separator: "\n", omittingEmptySubsequences: false).prefix { !$0.hasPrefix("treasury-report:") }
      .joined(separator: "\n")
  }

  /// Before: with `--partition-threshold-mib 0`, ids whose two financial accounts fell into different partitions
  /// were never compared (fa_3 with `--jobs 2`: exit 0 and 5.00 credited twice).
  @Test(arguments: ["fa_2", "fa_3", "fa_5", "fa_6", "fa_9"])
  func oneConnectedAccountAnyPartitioning(other: String) throws {
    let folder = TestSupport.TemporaryFolder()
    folder.write("acct_1Two/a.jsonl", [Self.credit, Self.entry].joined(separator: "\n"))
    folder.write(
      "acct_1Two/b.jsonl",
      [Self.credit, Self.entry].joined(separator: "\n").replacingOccurrences(of: "fa_1", with: other))
    let expected = """
      acct_1Two/b.jsonl:1: error: trxn_1 contradicts its copy at acct_1Two/a.jsonl:1: financial_account fa_1 against \(other)
      acct_1Two/b.jsonl:2: error: trxne_1 contradicts its copy at acct_1Two/a.jsonl:2: entries never change, but two copies differ: financial_account fa_1 against \(other)
      error: 2 objects have contradictory copies; nothing was written (export the dump again)
      """
    for threshold in ["64", "0"] {
      for jobs in ["1", "2", "3"] {
        let run = try Self.statements(
          folder, "acct_1Two", ["--partition-threshold-mib", threshold, "--jobs", jobs])
        #expect(run.status == 2, "threshold \(threshold), jobs \(jobs): \(run.stderr)")
        #expect(Self.errors(run) == expected, "threshold \(threshold), jobs \(jobs)")
        #expect(!FileManager.default.fileExists(atPath: folder.file("out")))
      }
    }
  }

  /// Before: units (connected accounts) were never compared: exit 0, one credit in two statements.
  @Test(arguments: ["64", "0"])
  func twoConnectedAccounts(threshold: String) throws {
    let folder = TestSupport.TemporaryFolder()
    folder.write("dumps/acct_1A/a.jsonl", [Self.credit, Self.entry].joined(separator: "\n"))
    folder.write(
      "dumps/acct_1B/b.jsonl",
      [Self.credit, Self.entry].joined(separator: "\n").replacingOccurrences(of: "fa_1", with: "fa_2"))
    let run = try Self.statements(folder, "dumps", ["--partition-threshold-mib", threshold])
    #expect(run.status == 2, "\(run.stderr)")
    #expect(
      run.stderr.hasPrefix(
        """
        dumps/acct_1B/b.jsonl:1: error: trxn_1 contradicts its copy at dumps/acct_1A/a.jsonl:1: financial_account fa_1 against fa_2
        dumps/acct_1B/b.jsonl:2: error: trxne_1 contradicts its copy at dumps/acct_1A/a.jsonl:2: entries never change, but two copies differ: financial_account fa_1 against fa_2

        """), "\(run.stderr)")
    #expect(!FileManager.default.fileExists(atPath: folder.file("out")))
  }

  /// Before: an open copy under one financial account was silently superseded by a posted copy under another
  /// (the open one's account vanished); the state rules settle copies of one object, not of two accounts.
  @Test(arguments: ["64", "0"])
  func anOpenCopyUnderAnotherFinancialAccount(threshold: String) throws {
    let folder = TestSupport.TemporaryFolder()
    let open = Lines.transaction("trxn_1", amount: 500, status: "open", fa: "fa_2", flowType: "received_credit")
    folder.write("acct_1Two/a.jsonl", [open, Self.credit, Self.entry].joined(separator: "\n"))
    let run = try Self.statements(folder, "acct_1Two", ["--partition-threshold-mib", threshold])
    #expect(run.status == 2, "\(run.stderr)")
    #expect(
      run.stderr.hasPrefix(
        "acct_1Two/a.jsonl:2: error: trxn_1 contradicts its copy at acct_1Two/a.jsonl:1: financial_account fa_2 against fa_1; status open against posted; posted_at null against 1767225660\n"
      ), "\(run.stderr)")
  }

  /// Many copies under three accounts: one message per id, its earliest copy against the earliest copy under
  /// another financial account, whatever the order the copies were read in.
  @Test func manyCopiesGiveOneMessage() throws {
    let folder = TestSupport.TemporaryFolder()
    func under(_ fa: String) -> String { Self.credit.replacingOccurrences(of: "fa_1", with: fa) }
    folder.write("acct_1Two/a.jsonl", [under("fa_4"), under("fa_4"), under("fa_1")].joined(separator: "\n"))
    folder.write("acct_1Two/b.jsonl", [under("fa_1"), under("fa_7"), under("fa_4")].joined(separator: "\n"))
    var outputs = Set<String>()
    for threshold in ["64", "0"] {
      for jobs in ["1", "3"] {
        let run = try Self.statements(folder, "acct_1Two", ["--partition-threshold-mib", threshold, "--jobs", jobs])
        #expect(run.status == 2, "\(run.stderr)")
        outputs.insert(Self.errors(run))
      }
    }
    #expect(
      outputs == [
        """
        acct_1Two/a.jsonl:3: error: trxn_1 contradicts its copy at acct_1Two/a.jsonl:1: financial_account fa_4 against fa_1
        error: 1 object has contradictory copies; nothing was written (export the dump again)
        """
      ])
  }

  /// Copies that agree, under one financial account, in several files and partitions: no contradiction, and the
  /// output is the same at any threshold.
  @Test func agreeingCopiesStayValid() throws {
    let folder = TestSupport.TemporaryFolder()
    var lines: [String] = []
    for i in 0..<300 {
      let fa = "fa_\(i % 7)"
      lines.append(
        Lines.transaction("trxn_\(i)", amount: 100 + i, fa: fa, flowType: "received_credit"))
      lines.append(Lines.entry("trxne_\(i)", transaction: "trxn_\(i)", at: 1_767_225_600, cash: 100 + i, fa: fa))
    }
    folder.write("dumps/acct_1A/a.jsonl", lines.joined(separator: "\n"))
    folder.write("dumps/acct_1A/b.jsonl", lines.reversed().joined(separator: "\n"))
    folder.write(
      "dumps/acct_1B/c.jsonl", lines.prefix(2).joined(separator: "\n").replacingOccurrences(of: "_0", with: "_b"))
    var trees: [[String: Data]] = []
    for threshold in ["64", "0"] {
      let run = try TestSupport.run(
        "treasury-report",
        ["statements", "dumps", "--out", "out-\(threshold)", "--partition-threshold-mib", threshold, "--jobs", "2"],
        cwd: folder.path)
      #expect(run.status == 0, "\(run.stderr)")
      trees.append(TestSupport.tree(folder.file("out-\(threshold)")))
    }
    #expect(trees[0] == trees[1])
  }
}
