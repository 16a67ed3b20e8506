/// A calendar date (proleptic Gregorian) with no time zone: what a period label or a local date names.
public struct CivilDate: Hashable, Sendable, Comparable {
  package var year: Int
  package var month: Int
  package var day: Int

  package init(year: Int, month: Int, day: Int) {
    self.year = year
    self.month = month
    self.day = day
  }

  /// Nil unless the three numbers name a real date.
  package init?(validYear year: Int, month: Int, day: Int) {
    guard (1...9999).contains(year), (1...12).contains(month),
      (1...CivilDate.daysIn(year: year, month: month)).contains(day)
    else { return nil }
    self.init(year: year, month: month, day: day)
  }

  /// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
  public var daysSinceEpoch: Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = (month + 9) % 12
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146097 + doe - 719468
  }

  /// The date `days` after 1970-01-01 (civil_from_days).
  package init(daysSinceEpoch days: Int) {
    let z = days + 719468
    let era = (z >= 0 ? z : z - 146096) / 146097
    let doe = z - era * 146097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    self.init(year: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d)
  }

  /// The date holding an instant given as seconds since 1970-01-01T00:00 in local time (the instant plus the
  /// zone's offset then).
  ///
  /// Floor division, so that instants before 1970 fall on the right day; the one formula for the ledger's
  /// periods and the renderers' dates.
  package init(localSeconds local: Int64) {
    self.init(daysSinceEpoch: Int((local - ((local % 86_400) + 86_400) % 86_400) / 86_400))
  }

  package func adding(days: Int) -> CivilDate { CivilDate(daysSinceEpoch: daysSinceEpoch + days) }

  /// The first day of the month `months` after this date's month.
  package func firstOfMonth(adding months: Int) -> CivilDate {
    let index = year * 12 + (month - 1) + months
    return CivilDate(year: index / 12, month: index % 12 + 1, day: 1)
  }

  /// 0 for Monday … 6 for Sunday.
  package var isoWeekdayIndex: Int {
    let d = daysSinceEpoch
    return ((d % 7) + 7 + 3) % 7
  }

  /// The ISO 8601 week-numbering year and week of this date.
  package var isoWeek: (year: Int, week: Int) {
    let thursday = adding(days: 3 - isoWeekdayIndex)
    let dayOfYear = thursday.daysSinceEpoch - CivilDate(year: thursday.year, month: 1, day: 1).daysSinceEpoch
    return (thursday.year, dayOfYear / 7 + 1)
  }

  /// The Monday of an ISO week, or nil when the year has no such week.
  package static func mondayOf(isoYear: Int, week: Int) -> CivilDate? {
    guard (1...9999).contains(isoYear), (1...53).contains(week) else { return nil }
    let january4 = CivilDate(year: isoYear, month: 1, day: 4)
    let monday = january4.adding(days: -january4.isoWeekdayIndex + (week - 1) * 7)
    return monday.isoWeek == (isoYear, week) ? monday : nil
  }

  package static func daysIn(year: Int, month: Int) -> Int {
    switch month {
    case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  /// `YYYY-MM-DD`.
  package var iso: String {
    pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
  }

  /// Parses `YYYY-MM-DD`.
  public init?(iso text: String) {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
      let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
      parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) })
    else { return nil }
    self.init(validYear: y, month: m, day: d)
  }

  /// The dates the command line accepts in `--from`, `--to`, `--period`, `--as-of` and fetch's `--since`: the
  /// years a dump's timestamps can fall in (1970 to 8999 UTC; 9000 for zones east of UTC).
  ///
  /// Outside it a date is a typo, and before 1582 Foundation's calendar (Julian there) and this type's
  /// proleptic Gregorian dates disagree, so a walk over periods between the two need not end.
  package static let flagRange = CivilDate(year: 1970, month: 1, day: 1)...CivilDate(year: 9000, month: 12, day: 31)

  /// The usage error for `flag` given `text` that names `date`, or nil when `date` lies in `flagRange`.
  public static func flagRangeProblem(_ date: CivilDate, flag: String, text: String) -> String? {
    guard !flagRange.contains(date) else { return nil }
    // A week label's Monday may lie in the year before: say so, or the label looks in range.
    let starts = text.hasPrefix(pad(date.year, 4)) ? "" : " (it starts on \(date.iso))"
    return
      "\(flag) \(text) is out of range\(starts): dates must lie in \(flagRange.lowerBound.iso) … \(flagRange.upperBound.iso), the years a dump can hold; check the year"
  }

  public static func < (a: Self, b: Self) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }
}

package func pad(_ value: Int, _ width: Int) -> String {
  let digits = String(value)
  return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}
