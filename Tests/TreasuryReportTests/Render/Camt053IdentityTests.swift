import Testing

@_spi(Inlining) @testable import TreasuryModel
@testable import TreasuryRender

@Suite struct Camt053IdentityTests {
  /// The same instants drawn in two zones book on different local dates: two documents, two identities.
  @Test func theTimeZoneIsPartOfAStatementsIdentity() {
    let key = StatementKey(
      financialAccount: "fa_1", currency: "usd",
      period: Period(start: 1_767_225_600, end: 1_798_761_600, label: "2026"))
    let utc = Camt053Identity.statementID(key, zone: "UTC")
    let london = Camt053Identity.statementID(key, zone: "Europe/London")
    #expect(utc != london)
    #expect(utc.hasPrefix("2026-") && utc.count <= 35)
    #expect(Camt053Identity.statementID(key, zone: "UTC") == utc)
  }
}
