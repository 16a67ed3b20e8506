import Foundation
@_spi(Inlining) import TreasuryModel

/// Cuts time into statement periods at local midnights of one IANA time zone.
///
/// Boundaries come from Foundation's calendar for the zone, so a month that
/// crosses a daylight-saving change is still [local midnight, local midnight).
package struct PeriodCalendar: Sendable {
  package let zone: TimeZone
  package let interval: Interval
  private let calendar: Calendar

  package init(zone: TimeZone, interval: Interval) {
    self.zone = zone
    self.interval = interval
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = zone
    self.calendar = calendar
  }

  /// The instant local `date` begins (its midnight, or the first instant after a gap at midnight).
  package func start(of date: CivilDate) -> Int64 {
    var parts = DateComponents()
    parts.year = date.year
    parts.month = date.month
    parts.day = date.day
    parts.hour = 12
    guard let noon = calendar.date(from: parts) else {
      // Unreachable for valid dates; fall back to UTC midnight rather than crash.
      return Int64(date.daysSinceEpoch) * 86_400
    }
    return Int64(calendar.startOfDay(for: noon).timeIntervalSince1970)
  }

  /// The local date at an instant.
  package func localDate(at time: Int64) -> CivilDate {
    let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(time)))
    return CivilDate(localSeconds: time + Int64(offset))
  }

  /// The period that holds `time` (for `range`, use `range(from:to:)`).
  package func period(containing time: Int64) -> Period {
    let date = localDate(at: time)
    let first: CivilDate
    switch interval {
    case .day, .range: first = date
    case .week: first = date.adding(days: -date.isoWeekdayIndex)
    case .month: first = CivilDate(year: date.year, month: date.month, day: 1)
    case .quarter: first = CivilDate(year: date.year, month: (date.month - 1) / 3 * 3 + 1, day: 1)
    case .year: first = CivilDate(year: date.year, month: 1, day: 1)
    }
    return period(startingOn: first)
  }

  /// The period of this calendar's interval that starts on `first`.
  package func period(startingOn first: CivilDate) -> Period {
    let next: CivilDate
    let label: String
    switch interval {
    case .day, .range:
      next = first.adding(days: 1)
      label = first.iso
    case .week:
      next = first.adding(days: 7)
      let week = first.isoWeek
      label = pad(week.year, 4) + "-W" + pad(week.week, 2)
    case .month:
      next = first.firstOfMonth(adding: 1)
      label = pad(first.year, 4) + "-" + pad(first.month, 2)
    case .quarter:
      next = first.firstOfMonth(adding: 3)
      label = pad(first.year, 4) + "-Q" + String((first.month - 1) / 3 + 1)
    case .year:
      next = first.firstOfMonth(adding: 12)
      label = pad(first.year, 4)
    }
    return Period(start: start(of: first), end: start(of: next), label: label)
  }

  /// The period holding `first` and each one after it, while a period starts before `limit`.
  ///
  /// The one walk over periods: `PeriodPlan`, `periods(overlapping:_:)` and
  /// `periods(from:through:)` differ only in where they start and stop.
  package func periods(fromPeriodHolding first: Int64, startingBefore limit: Int64) -> [Period] {
    periods(fromPeriodHolding: first, startingBefore: limit, atMost: .max) ?? []
  }

  /// The same walk, or nil as soon as it passes `maxCount` periods (a span of centuries in days is millions).
  package func periods(fromPeriodHolding first: Int64, startingBefore limit: Int64, atMost maxCount: Int) -> [Period]? {
    var result: [Period] = []
    var current = period(containing: first)
    while current.start < limit {
      guard result.count < maxCount else { return nil }
      result.append(current)
      current = period(containing: current.end)
    }
    return result
  }

  /// Every period from the one holding `first` to the one holding `last`.
  package func periods(from first: Int64, through last: Int64) -> [Period] {
    guard first <= last else { return [] }
    return periods(fromPeriodHolding: first, startingBefore: last < .max ? last + 1 : .max)
  }

  /// Every period that overlaps [start, end).
  package func periods(overlapping start: Int64, _ end: Int64) -> [Period] {
    guard start < end else { return [] }
    return periods(fromPeriodHolding: start, startingBefore: end)
  }

  /// One period [from, to) of local dates, labelled `FROM--TO`.
  package func range(from: CivilDate, to: CivilDate) -> Period {
    Period(start: start(of: from), end: start(of: to), label: from.iso + "--" + to.iso)
  }

  /// Reads a period label: `2026`, `2026-Q1`, `2026-03`, `2026-W11` or `2026-03-15`.
  package static func parse(label: String) -> (interval: Interval, first: CivilDate)? {
    let parts = label.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
    guard let first = parts.first, first.count == 4, let year = Int(first), first.allSatisfy(\.isNumber) else {
      return nil
    }
    let number = { (text: String, width: Int) -> Int? in
      text.count == width && text.allSatisfy({ $0.isASCII && $0.isNumber }) ? Int(text) : nil
    }
    switch parts.count {
    case 1:
      return CivilDate(validYear: year, month: 1, day: 1).map { (.year, $0) }
    case 2 where parts[1].hasPrefix("Q"):
      guard let q = number(String(parts[1].dropFirst()), 1), (1...4).contains(q) else { return nil }
      return CivilDate(validYear: year, month: (q - 1) * 3 + 1, day: 1).map { (.quarter, $0) }
    case 2 where parts[1].hasPrefix("W"):
      guard let w = number(String(parts[1].dropFirst()), 2) else { return nil }
      return CivilDate.mondayOf(isoYear: year, week: w).map { (.week, $0) }
    case 2:
      guard let m = number(parts[1], 2) else { return nil }
      return CivilDate(validYear: year, month: m, day: 1).map { (.month, $0) }
    case 3:
      return CivilDate(iso: label).map { (.day, $0) }
    default:
      return nil
    }
  }
}
