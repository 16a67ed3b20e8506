import Foundation
import Testing

@_spi(Inlining) @testable import TreasuryModel

/// One financial account under two connected accounts: the message names the first place it was seen under each.
@Suite struct AccountSplitMessageTests {
  @Test(arguments: ["64", "0"])
  func bothSightingsAreNamedWithFileAndLine(threshold: String) throws {
    let folder = TestSupport.TemporaryFolder()
    let credit = Lines.transaction("trxn_1", amount: 500, flowType: "received_credit")
    let entry = Lines.entry("trxne_1", transaction: "trxn_1", at: 1_767_225_600, cash: 500)
    let elsewhere = Lines.transaction("trxn_9", amount: 7, fa: "fa_9", flowType: "received_credit")
    folder.write("dumps/acct_1A/t.jsonl", [elsewhere, entry, credit].joined(separator: "\n"))
    folder.write(
      "dumps/acct_1B/u.jsonl",
      [
        elsewhere.replacingOccurrences(of: "fa_9", with: "fa_8").replacingOccurrences(of: "trxn_9", with: "trxn_8"),
        credit,
      ].joined(separator: "\n"))
    let run = try TestSupport.run(
      "treasury-report", ["statements", "dumps", "--out", "out", "--partition-threshold-mib", threshold],
      cwd: folder.path)
    #expect(run.status == 2)
    #expect(
      run.stderr.hasPrefix(
        "dumps/acct_1B/u.jsonl:2: error: fa_1 appears under two connected accounts: acct_1B here, and acct_1A at dumps/acct_1A/t.jsonl:2\n"
      ), "\(run.stderr)")
    #expect(!FileManager.default.fileExists(atPath: folder.file("out")))
  }
}
