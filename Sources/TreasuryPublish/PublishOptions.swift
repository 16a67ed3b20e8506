import Foundation
import TreasuryModel
import TreasuryStorage

/// What `publish` does: which folder goes where, under which retention and encryption.
public struct PublishOptions: Sendable {
  /// S3 Object Lock modes (`--lock-mode`).
  public enum LockMode: String, Sendable, CaseIterable {
    /// Users allowed to bypass governance can still delete: for trying retention out.
    case governance
    /// Nobody can delete or shorten it before the date.
    case compliance
  }

  /// Server-side encryption (`--sse`).
  public enum Encryption: String, Sendable, CaseIterable {
    case aes256
    case kms = "aws:kms"
  }

  /// The finished output folder (with its `manifest.json`).
  public var source: String
  /// `--to`: a folder, `file:///PATH` or `s3://BUCKET/PREFIX`.
  public var destination: String
  public var storage = StorageOptions()
  /// `--retain-until`: objects cannot be deleted before this day (00:00 UTC).
  public var retainUntil: CivilDate?
  /// `--retain-years`: objects cannot be deleted for this many years from now.
  public var retainYears: Int?
  public var lockMode: LockMode?
  public var encryption: Encryption?
  /// `--kms-key-id`: with `aws:kms`, the key; nil for the bucket's default KMS key.
  public var kmsKeyID: String?

  public init(source: String, destination: String) {
    self.source = source
    self.destination = destination
  }

  /// Why these options cannot go together, with the flags named; nil when they can.
  public var problem: String? {
    if retainUntil != nil && retainYears != nil { return "give --retain-until or --retain-years, not both" }
    let retains = retainUntil != nil || retainYears != nil
    if retains && lockMode == nil {
      return "retention needs --lock-mode governance or --lock-mode compliance (S3 Object Lock takes both)"
    }
    if !retains && lockMode != nil { return "--lock-mode needs --retain-until DATE or --retain-years N" }
    if let years = retainYears, !(1...100).contains(years) { return "--retain-years takes 1 … 100, found \(years)" }
    if kmsKeyID != nil && encryption != .kms { return "--kms-key-id needs --sse aws:kms" }
    return storage.problem
  }

  /// The retention date: `--retain-until`'s day, or today (UTC) plus `--retain-years`; nil without retention.
  func retainUntilDate(today: Date) -> Date? {
    if let day = retainUntil { return Date(timeIntervalSince1970: Double(day.daysSinceEpoch) * 86_400) }
    guard let years = retainYears else { return nil }
    return Retention.date(years: years, after: today)
  }
}
