import Foundation
import Testing

@testable import TreasuryArchive
@testable import TreasuryRender

/// How `verify` reads a statement file back: edited files are exactly its input, so no amount may crash it.
@Suite struct StatementTallyTests {
  /// An entries.csv row with these cells (the rest blank).
  private func entriesRow(_ cells: [String: String]) -> [String] {
    EntriesCSV.header.map { cells[$0] ?? "" }
  }

  @Test func runningBalancesBeyondAnyBalanceAreAProblemNotACrash() {
    let huge = "-92233720368547758.07"  // Int64.min + 1 minor units
    var tally = StatementTally(kind: .entries, currency: "usd")
    tally.add(EntriesCSV.header)
    tally.add(
      entriesRow([
        "cash": "1.00", "inbound_pending": "0.00", "outbound_pending": "0.00", "running_cash": huge,
        "running_inbound_pending": "0.00", "running_outbound_pending": "0.00", "running_booked_balance": huge,
      ]))
    #expect(tally.problem == "row 1: an amount is not written with 2 decimals or lies beyond any balance")
    #expect(tally.impliedOpening == nil)
  }

  @Test func subtractingBeyondTheBalanceLimitIsAProblem() {
    // Each amount is within the limit, but the opening it implies (running minus impact) is not.
    let near = "23058430092136939.00"  // just under 2^61 minor units
    var tally = StatementTally(kind: .entries, currency: "usd")
    tally.add(EntriesCSV.header)
    tally.add(
      entriesRow([
        "cash": "-" + near, "inbound_pending": "0.00", "outbound_pending": "0.00", "running_cash": near,
        "running_inbound_pending": "0.00", "running_outbound_pending": "0.00", "running_booked_balance": near,
      ]))
    #expect(tally.problem == "row 1: the running sub-balances minus this entry's impact lie beyond any balance")
  }

  /// Writes the samples' statements, sets cells of the first data row of one CSV file, and runs `verify`.
  private static func verifyAfterEditing(
    _ relative: String, header: [String], _ edits: [(column: String, value: String)]
  ) throws -> TestSupport.Run {
    let folder = TestSupport.TemporaryFolder()
    let out = folder.file("out")
    let run = try TestSupport.run("treasury-report", ["statements", TestSupport.samples, "--out", out])
    #expect(run.status == 0, "\(run.stderr)")
    let path = out + "/" + relative
    var rows = TestSupport.text(path).components(separatedBy: "\r\n")  // CSV rows end in CRLF
    try #require(rows.count > 2)
    var cells = rows[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    for (column, value) in edits {
      cells[try #require(header.firstIndex(of: column))] = value
    }
    rows[1] = cells.joined(separator: ",")
    try Data(rows.joined(separator: "\r\n").utf8).write(to: URL(fileURLWithPath: path))
    return try TestSupport.run("treasury-report", ["verify", out])
  }

  /// End to end: a tampered entries.csv is a finding (exit 2), never a trap.
  @Test func verifyReportsATamperedEntriesFileWithExitTwo() throws {
    let verify = try Self.verifyAfterEditing(
      "2026-03/fa_1BlueHarborMain0002/entries.csv", header: EntriesCSV.header,
      [
        ("cash", "1.00"), ("running_cash", "-92233720368547758.07"), ("running_inbound_pending", "0.00"),
        ("running_outbound_pending", "0.00"), ("running_booked_balance", "-92233720368547758.07"),
      ])
    #expect(verify.status == 2, "\(verify.stderr)")
    #expect(verify.stderr.contains("2026-03/fa_1BlueHarborMain0002/entries.csv"), "\(verify.stderr)")
    #expect(verify.stderr.contains("lies beyond any balance"), "\(verify.stderr)")
  }

  /// End to end: summary.csv amounts beyond any balance are a finding too, never a trap.
  @Test func verifyReportsATamperedSummaryWithExitTwo() throws {
    let verify = try Self.verifyAfterEditing(
      "summary.csv", header: SummaryCSV.header,
      [("opening_cash", "92233720368547758.07"), ("opening_inbound_pending", "1.00")])
    #expect(verify.status == 2, "\(verify.stderr)")
    #expect(verify.stderr.contains("summary.csv row 1: error: "), "\(verify.stderr)")
    #expect(verify.stderr.contains("opening_cash"), "\(verify.stderr)")
  }
}
