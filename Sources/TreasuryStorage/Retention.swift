import Foundation

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
}
