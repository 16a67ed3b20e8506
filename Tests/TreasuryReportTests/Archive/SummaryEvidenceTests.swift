import Foundation
import Testing

@testable import TreasuryArchive
@testable import TreasuryRender

/// How `verify` reads summary.csv's period and booked and available columns, and the files earlier versions
/// wrote (archives outlive versions: a folder written before these columns still verifies).
@Suite struct SummaryEvidenceTests {
  /// A row of the current summary: fa_1 in March 2026, opening booked 10.00 (cash 7.00, outbound 3.00).
  private func row(_ changes: [String: String] = [:]) -> [String] {
    let cells = [
      "financial_account": "fa_1", "account": "", "currency": "usd", "period": "2026-03",
      "period_start": "2026-03-01T00:00:00Z", "period_end": "2026-04-01T00:00:00Z", "opening_booked": "10.00",
      "opening_available": "7.00", "opening_cash": "7.00", "opening_inbound_pending": "0.00",
      "opening_outbound_pending": "3.00", "credits": "5.00", "debits": "0.00", "closing_booked": "15.00",
      "closing_available": "15.00", "closing_cash": "15.00", "closing_inbound_pending": "0.00",
      "closing_outbound_pending": "0.00", "posted_count": "1", "void_count": "0", "open_count": "0",
      "reconciled": "true",
    ].merging(changes) { $1 }
    return SummaryCSV.header.map { cells[$0] ?? "" }
  }

  private func findings(_ header: [String], _ rows: [[String]]) -> [String] {
    let evidence = StatementEvidence()
    evidence.addSummary(header, row: 0, location: "summary.csv")
    for (i, row) in rows.enumerated() { evidence.addSummary(row, row: i + 1, location: "summary.csv") }
    return evidence.report.findings.map(\.line)
  }

  @Test func theCurrentLayoutReads() {
    #expect(findings(SummaryCSV.header, [row()]) == [])
  }

  @Test(arguments: [
    (["opening_booked": "7.00"], "opening_booked is not the sum of its sub-balances"),
    (["closing_available": "14.99"], "closing_available is not the sum of its sub-balances"),
    (["period": "2026-04"], "period '2026-04' is not a period label that starts on 2026-03-01"),
    (["period": "March"], "period 'March' is not a period label"),
  ])
  func bookedAndAvailableMustFollowFromTheSubBalances(change: [String: String], message: String) {
    let lines = findings(SummaryCSV.header, [row(change)])
    #expect(lines.count == 1 && lines.first?.contains("summary.csv row 1: error: " + message) == true, "\(lines)")
  }

  /// A summary written before `period`, booked and available existed: its columns are read by name.
  @Test func theLayoutBeforeTheTotalsStillReads() {
    let old = SummaryCSV.headerWithoutTotals
    #expect(old.count == SummaryCSV.header.count - 5 && !old.contains("period") && old.contains("period_start"))
    let cells = Dictionary(uniqueKeysWithValues: zip(SummaryCSV.header, row()))
    let evidence = StatementEvidence()
    evidence.addSummary(old, row: 0, location: "summary.csv")
    evidence.addSummary(old.map { cells[$0] ?? "" }, row: 1, location: "summary.csv")
    #expect(evidence.report.findings.isEmpty, "\(evidence.report.findings)")
    #expect(evidence.summary.first?.value.closing.cash == 1500)
  }

  /// transactions.csv and pending.csv written before the impact columns were renamed still read.
  @Test func fileHeadersBeforeTheImpactNamesStillRead() {
    #expect(TransactionsCSV.headerBeforeImpactNames.contains("cash"))
    #expect(!TransactionsCSV.headerBeforeImpactNames.contains("impact_cash"))
    for (kind, header) in [
      (StatementTally.Kind.transactions, TransactionsCSV.headerBeforeImpactNames),
      (.pending, PendingCSV.headerBeforeImpactNames),
    ] {
      var tally = StatementTally(kind: kind, currency: "usd")
      tally.add(header)
      #expect(tally.problem == nil, "\(kind)")
    }
    var other = StatementTally(kind: .transactions, currency: "usd")
    other.add(TransactionsCSV.header.map { $0 == "impact_cash" ? "cash_impact" : $0 })
    #expect(other.problem?.contains("its header is not the transactions header") == true)
  }
}
