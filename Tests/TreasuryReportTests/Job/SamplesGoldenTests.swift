import Foundation
import Testing

/// The bundled samples against golden outputs, byte for byte.
///
/// Rewrite the golden files (after checking the change is intended) with
/// `UPDATE_GOLDEN=1 swift test --filter SamplesGoldenTests`.
@Suite struct SamplesGoldenTests {
  static let golden = TestSupport.root.appendingPathComponent("Tests/TreasuryReportTests/Golden").path

  @Test(arguments: [
    ("samples-utc", ["--tz", "UTC"]), ("samples-new-york", ["--tz", "America/New_York", "--list-voided"]),
  ])
  func samplesMatchGoldenFiles(name: String, flags: [String]) throws {
    let folder = TestSupport.TemporaryFolder()
    let out = folder.file("out")
    let run = try TestSupport.run(
      "treasury-report", ["statements", "samples", "--out", out] + flags, cwd: TestSupport.root.path)
    #expect(run.status == 0, "\(run.stderr)")
    let produced = TestSupport.tree(out)
    let expectedFolder = Self.golden + "/" + name
    let expected = try Golden.tree(expectedFolder, produced: produced)
    #expect(!expected.isEmpty, "no golden files in \(expectedFolder); run with UPDATE_GOLDEN=1")
    #expect(Set(produced.keys) == Set(expected.keys))
    for (path, data) in expected.sorted(by: { $0.key < $1.key }) {
      #expect(produced[path] == data, "\(path) differs from its golden copy")
    }
  }

  /// A few numbers of the samples, worked out by hand from samples/ (amounts in dollars).
  @Test func handCheckedSampleStatements() throws {
    let folder = TestSupport.TemporaryFolder()
    let out = folder.file("out")
    let run = try TestSupport.run("treasury-report", ["statements", TestSupport.samples, "--out", out])
    #expect(run.status == 0)
    let rows = TestSupport.records(out + "/summary.csv")
    func row(_ fa: String, _ month: String) -> [String: String]? {
      rows.first { $0["financial_account"] == fa && $0["period_start"]?.hasPrefix(month) == true }
    }
    // Northwind, March: opening cash 640.00; card capture −25.00 and lease −900.00 post (debits 925.00);
    // both card holds are released (2 voids); payroll −42.00 is held and still open: cash −327.00, outbound 42.00.
    let march = try #require(row("fa_1NorthwindOps000001", "2026-03"))
    #expect(march["opening_cash"] == "640.00")
    #expect(march["debits"] == "925.00" && march["credits"] == "0.00")
    #expect(march["closing_cash"] == "-327.00" && march["closing_outbound_pending"] == "42.00")
    #expect(march["void_count"] == "2" && march["open_count"] == "1" && march["reconciled"] == "true")
    // Blue Harbor, February (UTC): the owner draw created 23:59:59 on Jan 31 posts at 00:00:00 on Feb 1.
    // Credits 20.00 + 7.00 + 5.00 = 32.00; debits 10.00 + 20.00 + 7.00 = 37.00.
    let february = try #require(row("fa_1BlueHarborMain0002", "2026-02"))
    #expect(february["opening_cash"] == "290.00" && february["opening_outbound_pending"] == "10.00")
    #expect(february["credits"] == "32.00" && february["debits"] == "37.00")
    #expect(february["closing_cash"] == "295.00" && february["posted_count"] == "6")
    // The platform's payment posted 01:00 UTC on April 1 makes an April statement in UTC.
    let april = try #require(row("fa_1PlatformTreasury01", "2026-04"))
    #expect(april["debits"] == "100.00" && april["opening_outbound_pending"] == "100.00")
  }
}
