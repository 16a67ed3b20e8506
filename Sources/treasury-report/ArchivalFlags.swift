import ArgumentParser
import TreasuryModel
import TreasuryPublish

extension PublishOptions.LockMode: ExpressibleByArgument {}
extension PublishOptions.Encryption: ExpressibleByArgument {}

/// `publish`'s retention and encryption flags (S3 Object Lock and server-side encryption).
struct ArchivalFlags: ParsableArguments {
  @Option(help: "Lock every object written until this day (YYYY-MM-DD, 00:00 UTC); needs --lock-mode.")
  var retainUntil: String?

  @Option(help: "Lock every object written for N years from now; needs --lock-mode.")
  var retainYears: Int?

  @Option(help: "S3 Object Lock mode for the retention: governance or compliance.")
  var lockMode: PublishOptions.LockMode?

  @Option(help: "Server-side encryption: aes256 (SSE-S3) or aws:kms (SSE-KMS).")
  var sse: PublishOptions.Encryption?

  @Option(
    name: .customLong("kms-key-id"), help: "With --sse aws:kms: the KMS key id or ARN (default: the bucket's key).")
  var kmsKeyID: String?

  /// The retention day, or a usage error naming the flag.
  func retainUntilDate() throws -> CivilDate? {
    guard let text = retainUntil else { return nil }
    guard let date = CivilDate(iso: text) else {
      throw ValidationError("--retain-until takes a date YYYY-MM-DD, found '\(text)'")
    }
    if let problem = CivilDate.flagRangeProblem(date, flag: "--retain-until", text: text) {
      throw ValidationError(problem)
    }
    return date
  }
}
