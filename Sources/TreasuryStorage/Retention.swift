import Foundation
import TreasuryModel

/// An S3 Object Lock retention: the object cannot be deleted or overwritten before `until`.
package struct Retention: Sendable, Equatable {
  package enum Mode: String, Sendable, Equatable, CaseIterable {
    /// Users with `s3:BypassGovernanceRetention` can still delete: for trying retention out.
    case governance = "GOVERNANCE"
    /// Nobody, not the account's root, can delete before the date: what regulators ask for.
    case compliance = "COMPLIANCE"
  }

  package var mode: Mode
  /// Whole seconds, UTC.
  package var until: Date

  package init(mode: Mode, until: Date) {
    self.mode = mode
    self.until = until
  }
}

extension Retention {
  /// `until` as S3's headers take it: ISO 8601 in UTC, whole seconds (`2033-03-31T00:00:00Z`).
  package var untilText: String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.string(from: until)
  }

  /// An ISO 8601 time as AWS sends it (`x-amz-object-lock-retain-until-date`, STS's `Expiration`), with or
  /// without fractional seconds.
  package static func date(_ text: String) -> Date? {
    let plain = ISO8601DateFormatter()
    if let date = plain.date(from: text) { return date }
    let fractional = ISO8601DateFormatter()
    fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return fractional.date(from: text)
  }

  /// The same day and time of day `years` calendar years after `today` (29 February → 28 February), in whole
  /// seconds: what `--retain-years` and the run config's `retain_years` mean.
  package static func date(years: Int, after today: Date) -> Date {
    let now = Int64(today.timeIntervalSince1970.rounded(.up))
    let start = CivilDate(localSeconds: now)
    let target = CivilDate(
      year: start.year + years, month: start.month,
      day: min(start.day, CivilDate.daysIn(year: start.year + years, month: start.month)))
    let timeOfDay = now - Int64(start.daysSinceEpoch) * 86_400
    return Date(timeIntervalSince1970: Double(Int64(target.daysSinceEpoch) * 86_400 + timeOfDay))
  }
}
