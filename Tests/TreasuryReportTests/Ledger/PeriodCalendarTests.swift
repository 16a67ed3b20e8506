import Foundation
import Testing

@testable import TreasuryJob
@testable import TreasuryLedger
@_spi(Inlining) @testable import TreasuryModel

private func utc(_ text: String) -> Int64 {
  let formatter = ISO8601DateFormatter()
  return Int64(formatter.date(from: text)?.timeIntervalSince1970 ?? .nan)
}

private let newYork = TimeZone(identifier: "America/New_York")!

@Suite struct PeriodCalendarTests {
  /// The periods a data-driven run makes: from the one holding --from (else the first activity) through the one
  /// holding the last activity, stopping before --to.
  @Test func planFromDataWalksWholePeriodsWithinTheClipDates() throws {
    func labels(from: String?, to: String?, _ first: String, _ last: String) throws -> [String] {
      var options = StatementsOptions(inputs: [], output: "out")
      options.from = from
      options.to = to
      return try PeriodPlan(options: options).periods(first: utc(first), last: utc(last)).map(\.label)
    }
    #expect(
      try labels(from: nil, to: nil, "2026-01-31T23:59:59Z", "2026-03-01T00:00:00Z") == [
        "2026-01", "2026-02", "2026-03",
      ])
    // --from after the last activity still makes the period holding --from (a clip date never drops its period).
    #expect(try labels(from: "2026-03-15", to: nil, "2026-01-05T00:00:00Z", "2026-03-10T00:00:00Z") == ["2026-03"])
    #expect(
      try labels(from: nil, to: "2026-03-01", "2026-01-05T00:00:00Z", "2026-05-10T00:00:00Z") == ["2026-01", "2026-02"])
    #expect(
      try labels(from: nil, to: "2026-03-02", "2026-01-05T00:00:00Z", "2026-05-10T00:00:00Z") == [
        "2026-01", "2026-02", "2026-03",
      ])
    #expect(try labels(from: nil, to: nil, "2026-03-10T00:00:00Z", "2026-03-09T00:00:00Z").isEmpty)
  }

  @Test func monthsInNewYorkCrossDaylightSavingTime() {
    let calendar = PeriodCalendar(zone: newYork, interval: .month)
    let march = calendar.period(containing: utc("2026-03-15T12:00:00Z"))
    #expect(march.label == "2026-03")
    #expect(march.start == utc("2026-03-01T05:00:00Z"))  // 00:00 EST
    #expect(march.end == utc("2026-04-01T04:00:00Z"))  // 00:00 EDT
    #expect(march.end - march.start == 31 * 86_400 - 3600)
    let november = calendar.period(containing: utc("2026-11-10T00:00:00Z"))
    #expect(november.start == utc("2026-11-01T04:00:00Z"))
    #expect(november.end == utc("2026-12-01T05:00:00Z"))
    #expect(november.end - november.start == 30 * 86_400 + 3600)
  }

  @Test func instantsNearMidnightBelongToTheirLocalDay() {
    let calendar = PeriodCalendar(zone: newYork, interval: .month)
    // 2026-04-01T01:00Z is 21:00 on March 31 in New York.
    #expect(calendar.period(containing: utc("2026-04-01T01:00:00Z")).label == "2026-03")
    #expect(calendar.period(containing: utc("2026-04-01T04:00:00Z")).label == "2026-04")
    #expect(calendar.period(containing: utc("2026-04-01T03:59:59Z")).label == "2026-03")
  }

  @Test func daysOnTheDaylightSavingChangeAre23And25Hours() {
    let calendar = PeriodCalendar(zone: newYork, interval: .day)
    let spring = calendar.period(containing: utc("2026-03-08T12:00:00Z"))
    #expect(spring.label == "2026-03-08" && spring.end - spring.start == 23 * 3600)
    let autumn = calendar.period(containing: utc("2026-11-01T12:00:00Z"))
    #expect(autumn.label == "2026-11-01" && autumn.end - autumn.start == 25 * 3600)
  }

  @Test(arguments: [
    ("2026-01-01T00:00:00Z", "2026-W01", "2025-12-29T00:00:00Z"),
    ("2027-01-01T00:00:00Z", "2026-W53", "2026-12-28T00:00:00Z"),
    ("2026-03-11T09:00:00Z", "2026-W11", "2026-03-09T00:00:00Z"),
    ("2024-12-30T00:00:00Z", "2025-W01", "2024-12-30T00:00:00Z"),
  ])
  func isoWeeksStartOnMonday(instant: String, label: String, start: String) {
    let week = PeriodCalendar(zone: TimeZone(identifier: "UTC")!, interval: .week).period(containing: utc(instant))
    #expect(week.label == label)
    #expect(week.start == utc(start))
    #expect(week.end == week.start + 7 * 86_400)
  }

  @Test(arguments: [
    ("2026", Interval.year, "2026-01-01"), ("2026-Q3", .quarter, "2026-07-01"), ("2026-03", .month, "2026-03-01"),
    ("2026-W11", .week, "2026-03-09"), ("2026-03-15", .day, "2026-03-15"), ("2020-W53", .week, "2020-12-28"),
  ])
  func parsesPeriodLabels(label: String, interval: Interval, first: String) throws {
    let parsed = try #require(PeriodCalendar.parse(label: label))
    #expect(parsed.interval == interval)
    #expect(parsed.first.iso == first)
    // A label names the period it parses to.
    #expect(PeriodCalendar(zone: newYork, interval: interval).period(startingOn: parsed.first).label == label)
  }

  @Test(arguments: ["2026-13", "2026-02-30", "2026-Q5", "2026-W54", "2025-W53", "26-03", "2026-3", "March"])
  func rejectsBadLabels(label: String) {
    #expect(PeriodCalendar.parse(label: label) == nil)
  }

  @Test func quartersAndYearsCoverTheirMonths() {
    let quarter = PeriodCalendar(zone: TimeZone(identifier: "UTC")!, interval: .quarter)
    #expect(
      quarter.periods(from: utc("2026-02-10T00:00:00Z"), through: utc("2026-07-01T00:00:00Z")).map(\.label) == [
        "2026-Q1", "2026-Q2", "2026-Q3",
      ])
    let year = PeriodCalendar(zone: newYork, interval: .year).period(containing: utc("2026-06-01T00:00:00Z"))
    #expect(year.start == utc("2026-01-01T05:00:00Z") && year.end == utc("2027-01-01T05:00:00Z"))
  }

  @Test func civilDatesRoundTrip() {
    for days in stride(from: -800_000, through: 2_900_000, by: 997) {
      #expect(CivilDate(daysSinceEpoch: days).daysSinceEpoch == days)
    }
    #expect(CivilDate(daysSinceEpoch: 0).iso == "1970-01-01")
    #expect(CivilDate(iso: "2024-02-29")?.adding(days: 1).iso == "2024-03-01")
  }
}
