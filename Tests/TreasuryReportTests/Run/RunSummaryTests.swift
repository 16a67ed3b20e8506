import Testing

@testable import TreasuryRun

/// The run's stderr summary counts in words: one of a thing is singular, never `version(s)`.
@Suite struct RunSummaryTests {
  @Test func countsAreSingularForOne() {
    var summary = RunSummary()
    summary.run = "r1"
    summary.target = "s3://b/p"
    summary.published = ["acct_1/fa_1/2026-03/v1"]
    summary.restated = ["acct_1/fa_1/2026-02/v2"]
    summary.unreconciled = ["acct_1/fa_1/2026-01"]
    let text = summary.lines.joined(separator: "\n")
    #expect(text.contains("published 1 statement version, 0 unchanged, 1 restatement, 0 provisional"))
    #expect(text.contains("1 statement does not reconcile: acct_1/fa_1/2026-01"))
    #expect(!text.contains("(s)"))

    summary.published.append("acct_1/fa_1/2026-04/v1")
    summary.restated = []
    #expect(summary.lines.joined().contains("published 2 statement versions, 0 unchanged, 0 restatements"))
  }
}
