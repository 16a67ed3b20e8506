import Foundation
import Testing

@_spi(Inlining) @testable import TreasuryModel

/// A `financial_account` object filed under another connected account than the financial account's entries, or
/// under two connected accounts: the layout contradicts itself, and the run says so (exit 2) instead of keeping one
/// connected account and dropping the other's copy from accounts.csv.
@Suite struct FinancialAccountObjectSplitTests {
  static let credit = Lines.transaction("trxn_1", amount: 500, flowType: "received_credit")
  static let entry = Lines.entry("trxne_1", transaction: "trxn_1", at: 1_767_225_600, cash: 500)
  static let object = Lines.financialAccount("fa_1", cash: [("usd", 500)])

  @Test(arguments: ["64", "0"])
  func anObjectUnderAnotherConnectedAccountThanItsEntries(threshold: String) throws {
    let folder = TestSupport.TemporaryFolder()
    folder.write("dumps/acct_1A/t.jsonl", [Self.credit, Self.entry].joined(separator: "\n"))
    folder.write("dumps/acct_1B/fa.jsonl", "\n" + Self.object)
    let run = try TestSupport.run(
      "treasury-report", ["statements", "dumps", "--out", "out", "--partition-threshold-mib", threshold],
      cwd: folder.path)
    #expect(run.status == 2, "\(run.stderr)")
    #expect(
      run.stderr.hasPrefix(
        "dumps/acct_1B/fa.jsonl:2: error: fa_1 appears under two connected accounts: acct_1B here, and acct_1A at dumps/acct_1A/t.jsonl:1\n"
      ), "\(run.stderr)")
    #expect(!FileManager.default.fileExists(atPath: folder.file("out")))
  }

  /// Objects alone, no entries anywhere: still one financial account in two places.
  @Test func anObjectUnderTwoConnectedAccounts() throws {
    let folder = TestSupport.TemporaryFolder()
    let empty = Lines.financialAccount("fa_1", cash: [("usd", 0)])
    folder.write("dumps/acct_1A/fa.jsonl", empty)
    folder.write(
      "dumps/acct_1B/fa.jsonl", empty.replacingOccurrences(of: #""status":"open""#, with: #""status":"closed""#))
    folder.write(
      "dumps/acct_1A/t.jsonl",
      [Self.credit, Self.entry].joined(separator: "\n").replacingOccurrences(of: "fa_1", with: "fa_2"))
    let run = try TestSupport.run("treasury-report", ["statements", "dumps", "--out", "out"], cwd: folder.path)
    #expect(run.status == 2, "\(run.stderr)")
    #expect(
      run.stderr.hasPrefix(
        "dumps/acct_1B/fa.jsonl:1: error: fa_1 appears under two connected accounts: acct_1B here, and acct_1A at dumps/acct_1A/fa.jsonl:1\n"
      ), "\(run.stderr)")
    #expect(!FileManager.default.fileExists(atPath: folder.file("out")))
  }

  /// The object beside its entries, in another file of the same connected account, is the ordinary layout.
  @Test func anObjectBesideItsEntriesIsFine() throws {
    let folder = TestSupport.TemporaryFolder()
    folder.write("dumps/acct_1A/t.jsonl", [Self.credit, Self.entry].joined(separator: "\n"))
    folder.write("dumps/acct_1A/fa.jsonl", Self.object)
    let run = try TestSupport.run(
      "treasury-report", ["statements", "dumps", "--out", "out", "--format", "csv"], cwd: folder.path)
    #expect(run.status == 0, "\(run.stderr)")
    let rows = TestSupport.csv(TestSupport.text(folder.file("out/accounts.csv")))
    #expect(rows.count == 2)
    #expect(rows.last?.prefix(2) == ["fa_1", "acct_1A"])
  }
}
