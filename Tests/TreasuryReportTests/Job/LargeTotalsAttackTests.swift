import Foundation
import Testing

/// Totals near the ledger's limits (amounts of 10^15 minor units, balances near 2^61) in every format: BAI2's
/// control totals once wrapped around Int64 (two accounts × 2,000 credits of 10^15 gave a 98 total of
/// −2446744073709551616), and camt.053's 18-digit limit failed as an I/O error (exit 4) naming the staging folder.
@Suite struct LargeTotalsAttackTests {
  static let mar5 = 1_772_668_800  // 2026-03-05T00:00:00Z
  static let feb5 = 1_770_249_600  // 2026-02-05T00:00:00Z
  static let big = 1_000_000_000_000_000  // 10^15, the largest amount the input accepts

  /// `count` movements of `amount` (signed) into `fa`, one second apart from `at`, each with its entry.
  static func movements(_ fa: String, _ prefix: String, count: Int, amount: Int, at: Int) -> [String] {
    (0..<count).flatMap { i -> [String] in
      let id = "trxn_\(fa)_\(prefix)\(i)"
      let flow = amount >= 0 ? "received_credit" : "outbound_payment"
      return [
        Lines.transaction(id, amount: amount, created: at + i, posted: at + i, fa: fa, flowType: flow),
        Lines.entry("e_" + id, transaction: id, at: at + i, cash: amount, fa: fa, type: flow),
      ]
    }
  }

  private func statements(_ lines: [String], _ flags: [String]) throws -> (
    TestSupport.Run, String, TestSupport.TemporaryFolder
  ) {
    let folder = TestSupport.TemporaryFolder()
    folder.write("dump/dump.jsonl", lines.joined(separator: "\n"))
    let out = folder.file("out")
    let run = try TestSupport.run("treasury-report", ["statements", folder.file("dump"), "--out", out] + flags)
    return (run, out, folder)
  }

  /// Runs `--format csv,bai2`, has the PyPI bai2 parser add every total up again (Python integers do not wrap),
  /// and returns the March file's records by code ("49" → its 49 records).
  private func bai2Records(_ lines: [String]) throws -> [String: [String]] {
    let (run, out, folder) = try statements(lines, ["--format", "csv,bai2"])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(try ExportSupport.readBack(out).contains("bai2"))
    let text = withExtendedLifetime(folder) { TestSupport.text(out + "/2026-03/statements.bai2") }
    return Dictionary(grouping: text.split(separator: "\n").map(String.init)) { String($0.prefix(2)) }
  }

  /// The case: 8·10^18 per account, 1.6·10^19 for the group and the file, past Int64's 9.2·10^18.
  @Test(.enabled(if: ExternalTool.exportReaders, "needs the export readers (make test-venv, ofxdump)"))
  func groupAndFileTotalsPastInt64AreExact() throws {
    let records = try bai2Records(
      Self.movements("fa_1", "c", count: 2_000, amount: Self.big, at: Self.mar5)
        + Self.movements("fa_2", "c", count: 2_000, amount: Self.big, at: Self.mar5))
    #expect(records["49"]?.map { $0.split(separator: ",")[1] } == ["8000000000000000000", "8000000000000000000"])
    #expect(records["98"] == ["98,16000000000000000000,2,4008/"])
    #expect(records["99"] == ["99,16000000000000000000,1,4010/"])
  }

  /// One account's own 49 total past Int64: March opens and closes near 2.3·10^18 (four balances) and moves
  /// 2.3·10^18 each way (summary and detail amounts).
  @Test(.enabled(if: ExternalTool.exportReaders, "needs the export readers (make test-venv, ofxdump)"))
  func anAccountTotalPastInt64IsExact() throws {
    let records = try bai2Records(
      Self.movements("fa_1", "in", count: 2_300, amount: Self.big, at: Self.feb5)
        + Self.movements("fa_1", "out", count: 2_300, amount: -Self.big, at: Self.mar5)
        + Self.movements("fa_1", "back", count: 2_300, amount: Self.big, at: Self.mar5 + 10_000))
    // 4 × 2.3·10^18 in balances, 2.3·10^18 of credits and of debits, 4.6·10^18 of detail amounts.
    #expect(records["49"]?.map { $0.split(separator: ",")[1] } == ["18400000000000000000"])
  }

  /// OFX, HTML and the CSV profiles carry the same large totals; the reference readers check every one.
  @Test(.enabled(if: ExternalTool.exportReaders, "needs the export readers (make test-venv, ofxdump)"))
  func otherFormatsCarryLargeTotalsExactly() throws {
    let lines =
      Self.movements("fa_1", "in", count: 2_300, amount: Self.big, at: Self.feb5)
      + Self.movements("fa_1", "out", count: 2_300, amount: -Self.big, at: Self.mar5)
    let (run, out, folder) = try statements(lines, ["--format", ExportSupport.allFormats])
    #expect(run.status == 0, "\(run.stderr)")
    let summary = TestSupport.records(out + "/summary.csv")
    #expect(summary.map { $0["credits"] } == ["23000000000000000.00", "0.00"])
    #expect(summary.map { $0["debits"] } == ["0.00", "23000000000000000.00"])
    let checked = try ExportSupport.readBack(out)
    for kind in ["ofx", "html", "bai2"] { #expect(checked.contains(kind), "\(checked)") }
    withExtendedLifetime(folder) {}
  }

  /// camt.053 holds at most 18 digits: a larger amount is refused as invalid input (exit 2), naming the
  /// statement, the file and the value, and nothing is written.
  @Test func camtAmountsBeyondEighteenDigitsAreRefused() throws {
    let lines = Self.movements("fa_1", "c", count: 2_000, amount: Self.big, at: Self.mar5)
    for format in ["camt053", "camt053.08"] {
      let (run, out, folder) = try statements(lines, ["--format", format])
      #expect(run.status == 2, "\(run.stderr)")
      let file = format == "camt053" ? "statement.camt053.xml" : "statement.camt053.08.xml"
      #expect(
        run.stderr.hasPrefix(
          "2026-03/fa_1/\(file): error: fa_1 usd 2026-03: CLBD 20000000000000000.00 has more than the 18 digits camt.053 allows\n"
        ), "\(run.stderr)")
      #expect(run.stderr.contains("nothing was written"), "\(run.stderr)")
      #expect(!run.stderr.contains(".partial"), "\(run.stderr)")
      #expect(!FileManager.default.fileExists(atPath: out))
      #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["dump"])
    }
  }
}
