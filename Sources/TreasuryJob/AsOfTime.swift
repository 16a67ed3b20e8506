import TreasuryLedger
@_spi(Inlining) import TreasuryModel

/// Reads `--as-of`: an ISO 8601 date-time with `Z` or an offset, or a date meaning its local midnight.
///
/// `2026-04-01T06:30:00Z`, `2026-04-01T02:30:00-04:00`, or `2026-04-01`
/// (midnight in the run's `--tz`). Whole seconds only: Stripe's times are.
enum AsOfTime {
  /// Nil when `text` is not such a time.
  static func parse(_ text: String, calendar: PeriodCalendar) -> Int64? {
    try? parseChecked(text, calendar: calendar)
  }

  /// The time, or the usage error to report for `--as-of` (a malformed time, or a date outside
  /// `CivilDate.flagRange`, checked before Foundation's calendar sees it).
  static func parseChecked(_ text: String, calendar: PeriodCalendar) throws(JobError) -> Int64 {
    guard let (date, local) = fields(text) else {
      throw .usage(
        "--as-of takes a time like 2026-04-01T06:30:00Z or 2026-04-01T02:30:00-04:00, or a date, found '\(text)'")
    }
    if let problem = CivilDate.flagRangeProblem(date, flag: "--as-of", text: text) { throw .usage(problem) }
    return local ?? calendar.start(of: date)
  }

  /// The date, and the instant unless `text` is a date alone.
  private static func fields(_ text: String) -> (CivilDate, Int64?)? {
    if let date = CivilDate(iso: text) { return (date, nil) }
    let bytes = Array(text.utf8)
    guard bytes.count >= 20, bytes[10] == UInt8(ascii: "T"), let date = CivilDate(iso: String(text.prefix(10))),
      let hour = number(bytes, 11, 2), bytes[13] == UInt8(ascii: ":"), let minute = number(bytes, 14, 2),
      bytes[16] == UInt8(ascii: ":"), let second = number(bytes, 17, 2),
      hour < 24, minute < 60, second < 60
    else { return nil }
    let zone = bytes[19...]
    var offset = 0
    if zone.count == 1 && zone.first == UInt8(ascii: "Z") {
      offset = 0
    } else if zone.count == 6, zone.first == UInt8(ascii: "+") || zone.first == UInt8(ascii: "-"),
      let h = number(bytes, 20, 2), bytes[22] == UInt8(ascii: ":"), let m = number(bytes, 23, 2), h < 24, m < 60
    {
      offset = (h * 3600 + m * 60) * (zone.first == UInt8(ascii: "-") ? -1 : 1)
    } else {
      return nil
    }
    let local = Int64(date.daysSinceEpoch) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    return (date, local - Int64(offset))
  }

  private static func number(_ bytes: [UInt8], _ at: Int, _ count: Int) -> Int? {
    var value = 0
    for i in at..<(at + count) {
      guard i < bytes.count, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9") else { return nil }
      value = value * 10 + Int(bytes[i] - UInt8(ascii: "0"))
    }
    return value
  }
}
