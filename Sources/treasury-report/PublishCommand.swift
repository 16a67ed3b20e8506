import ArgumentParser
import Foundation
import TreasuryModel
import TreasuryPublish

struct PublishCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "publish",
    abstract: "Upload a finished output folder to a storage folder or S3, never replacing what is stored.",
    discussion: """
      The folder is verified against its manifest first. Periods go to PREFIX/<period>/ (files and \
      <period>.tar.gz), the run's manifest and summary to PREFIX/runs/<run>/, the manifest last. A rerun \
      writes nothing; an object that holds other bytes stops the run before anything is written. AWS \
      credentials come from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE with the shared credentials \
      file, or AWS_WEB_IDENTITY_TOKEN_FILE with AWS_ROLE_ARN; never from flags.

      Examples:
        treasury-report publish out --to /srv/statements
        treasury-report publish out --to s3://acme-statements/treasury \\
          --retain-years 7 --lock-mode compliance --sse aws:kms
        treasury-report publish out --to s3://statements/2026 \\
          --s3-endpoint https://minio.internal:9000 --s3-path-style

      Exit codes: 0 published (or already published); 1 usage error, or credentials or permissions to fix; \
      2 the folder does not match its manifest (as verify); 4 I/O error; 5 storage did not finish (retries \
      ran out): run again to resume; 8 an object already holds other bytes: nothing was written.
      """
  )

  @Argument(help: "The output folder `statements` wrote (with its manifest.json).")
  var source: String

  @Option(help: "Where to publish: a folder, file:///PATH or s3://BUCKET/PREFIX.")
  var to: String

  @OptionGroup(title: "Storage")
  var storage: StorageFlags

  @OptionGroup(title: "Retention and encryption (S3)")
  var archival: ArchivalFlags

  func validate() throws {
    if let problem = try options().problem { throw ValidationError(problem) }
  }

  func run() async throws {
    let report = await PublishJob(options: try options()).run()
    Diagnostics.write(TerminalText.lines(report.lines))
    if report.exitCode != ExitStatus.success { throw ExitCode(report.exitCode) }
  }

  private func options() throws -> PublishOptions {
    var options = PublishOptions(source: source, destination: to)
    options.storage = storage.options
    options.retainUntil = try archival.retainUntilDate()
    options.retainYears = archival.retainYears
    options.lockMode = archival.lockMode
    options.encryption = archival.sse
    options.kmsKeyID = archival.kmsKeyID
    return options
  }
}
