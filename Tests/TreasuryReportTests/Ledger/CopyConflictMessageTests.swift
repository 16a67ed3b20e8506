import Foundation
import Testing

@_spi(Inlining) @testable import TreasuryModel

/// Two copies of one id that contradict each other: the message lists exactly the fields that differ, with both
/// values, and names both places (never two copies printed as if identical).
@Suite struct CopyConflictMessageTests {
  static let credit = Lines.transaction("trxn_1", amount: 500, flowType: "received_credit")
  static let entry = Lines.entry("trxne_1", transaction: "trxn_1", at: 1_767_225_600, cash: 500)

  /// Every differing field is listed, in a fixed order, and only those.
  @Test func everyDifferingFieldIsListed() throws {
    let other = Self.credit
      .replacingOccurrences(of: #""currency":"usd""#, with: #""currency":"eur""#)
      .replacingOccurrences(of: #""cash":500"#, with: #""cash":400"#)
    let (store, _) = try readDump([Self.credit, other].joined(separator: "\n"))
    #expect(store.conflicts.map(\.detail) == ["currency usd against eur; balance_impact.cash 500 against 400"])

    let void = Lines.transaction("trxn_1", amount: 500, status: "void", flowType: "received_credit")
    let (states, _) = try readDump([Self.credit, void].joined(separator: "\n"))
    #expect(
      states.conflicts.map(\.detail) == [
        "status posted against void; balance_impact.cash 500 against 0; posted_at 1767225660 against null; void_at null against 1767225660"
      ])

    let later = Lines.entry("trxne_1", transaction: "trxn_2", at: 1_767_225_601, cash: 500, type: "received_credit")
    let (entries, _) = try readDump([Self.entry, later].joined(separator: "\n"))
    #expect(
      entries.conflicts.map(\.detail) == [
        "entries never change, but two copies differ: transaction trxn_1 against trxn_2; type outbound_payment against received_credit; flow flow_trxn_1 against flow_trxn_2; created 1767225600 against 1767225601; effective_at 1767225600 against 1767225601"
      ])
  }

  /// End to end. Copies under two financial accounts are compared run-wide (IdIndexTests, IdSplitAttackTests).
  @Test func theRunNamesBothPlacesAndTheDifference() throws {
    let folder = TestSupport.TemporaryFolder()
    let other = Lines.transaction("trxn_1", amount: 500, fa: "fa_2", flowType: "received_credit")
    let otherEntry = Lines.entry("trxne_1", transaction: "trxn_1", at: 1_767_225_600, cash: 500, fa: "fa_2")
    folder.write("acct_1Two/a.jsonl", [Self.credit, Self.entry].joined(separator: "\n"))
    folder.write("acct_1Two/b.jsonl", [other, otherEntry].joined(separator: "\n"))
    let run = try TestSupport.run(
      "treasury-report", ["statements", "acct_1Two", "--out", "out"], cwd: folder.path)
    #expect(run.status == 2)
    #expect(
      run.stderr.hasPrefix(
        """
        acct_1Two/b.jsonl:1: error: trxn_1 contradicts its copy at acct_1Two/a.jsonl:1: financial_account fa_1 against fa_2
        acct_1Two/b.jsonl:2: error: trxne_1 contradicts its copy at acct_1Two/a.jsonl:2: entries never change, but two copies differ: financial_account fa_1 against fa_2

        """), "\(run.stderr)")
    #expect(!FileManager.default.fileExists(atPath: folder.file("out")))
  }
}
