import Foundation
import Testing

/// Inputs that hold no Treasury object stop the run (exit 2, naming them) unless `--allow-empty`; a requested
/// period without data is a warning.
@Suite struct EmptyInputTests {
  static let advice =
    "error: nothing was written; check that INPUT names the dumps (an empty file, pipe or folder is usually a failed export or a wrong path), or pass --allow-empty when an empty input is expected\n"

  enum Input: String, CaseIterable, Sendable {
    case emptyFile, emptyStandardInput, folderWithoutDumps, onlyOtherObjects, everyLineSetAside

    /// The INPUT arguments, after writing what they name into `folder`; standard input's bytes.
    func prepare(_ folder: TestSupport.TemporaryFolder) -> (inputs: [String], stdin: Data?, extra: [String]) {
      switch self {
      case .emptyFile:
        folder.write("dumps/acct_1E/empty.jsonl", "")
        return (["dumps/acct_1E/empty.jsonl"], nil, [])
      case .emptyStandardInput:
        return (["-"], Data(), [])
      case .folderWithoutDumps:
        folder.write("dumps/readme.txt", "not a dump")
        return (["dumps"], nil, [])
      case .onlyOtherObjects:
        folder.write("dumps/a.jsonl", "{\"object\":\"balance\",\"available\":[]}\n")
        return (["dumps"], nil, [])
      case .everyLineSetAside:
        folder.write("dumps/a.jsonl", "{broken\n[\n")
        return (["dumps"], nil, ["--skip-invalid"])
      }
    }

    var message: String {
      switch self {
      case .emptyFile:
        return
          "error: no Treasury objects (transactions, entries, financial accounts) read from dumps/acct_1E/empty.jsonl (1 file, 0 lines)\n"
      case .emptyStandardInput:
        return
          "error: no Treasury objects (transactions, entries, financial accounts) read from - (standard input) (1 file, 0 lines)\n"
      case .folderWithoutDumps:
        return "dumps: error: no dump files found (looked for *.jsonl, *.json, *.jsonl.gz, *.json.gz)\n"
      case .onlyOtherObjects:
        return
          "error: no Treasury objects (transactions, entries, financial accounts) read from dumps (1 file, 1 line, 1 object of other types)\n"
      case .everyLineSetAside:
        return
          "error: no Treasury objects (transactions, entries, financial accounts) read from dumps (1 file, 2 lines, 2 invalid lines set aside)\n"
      }
    }
  }

  @Test(arguments: Input.allCases)
  func noTreasuryObjectsIsAnError(input: Input) throws {
    let folder = TestSupport.TemporaryFolder()
    let (inputs, stdin, extra) = input.prepare(folder)
    let run = try TestSupport.run(
      "treasury-report", ["statements"] + inputs + ["--out", "out"] + extra, cwd: folder.path, stdin: stdin)
    #expect(run.status == 2, "\(run.stderr)")
    #expect(run.stderr.hasPrefix(input.message + Self.advice), "\(run.stderr)")
    #expect(!FileManager.default.fileExists(atPath: folder.file("out")))

    let allowed = try TestSupport.run(
      "treasury-report", ["statements"] + inputs + ["--out", "out", "--allow-empty"] + extra, cwd: folder.path,
      stdin: stdin)
    #expect(allowed.status == 0, "\(allowed.stderr)")
    #expect(allowed.stderr.contains("treasury-report: wrote 0 statements to out\n"), "\(allowed.stderr)")
    #expect(TestSupport.records(folder.file("out/summary.csv")).isEmpty)
  }

  /// A period before any activity: written (exit 0), with a warning on stderr and in the JSON report.
  @Test func aRequestedPeriodWithoutDataIsAWarning() throws {
    let folder = TestSupport.TemporaryFolder()
    let one = try TestSupport.run(
      "treasury-report",
      ["statements", TestSupport.samples, "--out", "one", "--period", "2025-12", "--report-json", "report.json"],
      cwd: folder.path)
    #expect(one.status == 0, "\(one.stderr)")
    let warning =
      "warning: the requested period 2025-12 has no data (no activity in it and no opening balance in the inputs)"
    #expect(one.stderr.contains("treasury-report: " + warning + "\n"), "\(one.stderr)")
    let report = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder.file("report.json"))))
        as? [String: Any])
    #expect(report["warnings"] as? [String] == [warning])

    let range = try TestSupport.run(
      "treasury-report",
      ["statements", TestSupport.samples, "--out", "range", "--from", "2025-11-01", "--to", "2026-03-01"],
      cwd: folder.path)
    #expect(range.status == 0, "\(range.stderr)")
    #expect(
      range.stderr.contains(
        "treasury-report: warning: 2 of the 4 requested periods have no data (no activity and no opening balance in the inputs): 2025-11, 2025-12\n"
      ), "\(range.stderr)")
    // Periods with data: no warning.
    let march = try TestSupport.run(
      "treasury-report", ["statements", TestSupport.samples, "--out", "march", "--period", "2026-03"], cwd: folder.path)
    #expect(march.status == 0 && !march.stderr.contains("warning"), "\(march.stderr)")
  }
}
