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
