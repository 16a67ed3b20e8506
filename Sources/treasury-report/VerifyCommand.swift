import ArgumentParser
import Foundation
import TreasuryArchive
import TreasuryModel
import TreasuryPublish

struct VerifyCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "verify",
    abstract: "Prove that period archives and output folders are unchanged and that their statements reconcile.",
    discussion: """
      Checks gzip integrity, tar structure, every file or member against its manifest (size, SHA-256, rows; \
      nothing missing or extra), and recomputes each statement from its CSV files. A storage URL \
      (s3://BUCKET/PREFIX or file:///PATH, where publish wrote) is read back and every publication in it \
      proven the same way, each problem named by its object's URL.

      Examples:
        treasury-report verify out archive/2026-03.tar.gz
        treasury-report verify s3://acme-statements/treasury --s3-region eu-west-1

      Exit codes: 0 everything holds; 1 usage error (or credentials to fix); 2 something does not verify; \
      3 intact, but a statement does not reconcile (as its summary row records); 4 a path cannot be read; \
      5 storage could not be read in full, or a publication in it is unfinished (rerun publish).
      """
  )

  @Argument(help: "Archives (archive/<period>.tar.gz), output folders (with manifest.json), or storage URLs.")
  var paths: [String]

  @OptionGroup(title: "Storage (for s3:// URLs)")
  var storage: StorageFlags

  func validate() throws {
    if paths.contains(where: StorageVerifyJob.isStorageURL), let problem = storage.options.problem {
      throw ValidationError(problem)
    }
  }

  func run() async throws {
    var codes: [Int32] = []
    let local = paths.filter { !StorageVerifyJob.isStorageURL($0) }
    if !local.isEmpty {
      let report = VerifyJob(paths: local).run()
      show(report.findings.map(\.line), summary: report.summary, code: report.exitCode)
      codes.append(report.exitCode)
    }
    for url in paths where StorageVerifyJob.isStorageURL(url) {
      let report = await StorageVerifyJob(location: url, storage: storage.options).run()
      show(report.findings.map(\.line), summary: report.summary, code: report.exitCode)
      codes.append(report.exitCode)
    }
    // The gravest outcome decides, in the order the README lists verify's codes by weight.
    let weight: [Int32] = [0, 3, 4, 5, 2, 1]
    let code = codes.max { (weight.firstIndex(of: $0) ?? 6) < (weight.firstIndex(of: $1) ?? 6) } ?? 0
    if code != ExitStatus.success { throw ExitCode(code) }
  }

  /// Findings to stderr; the summary to stdout when everything holds (or only reconciliation is off), else stderr.
  private func show(_ findings: [String], summary: String, code: Int32) {
    if code == ExitStatus.success || code == ExitStatus.unreconciled {
      Diagnostics.write(TerminalText.lines(findings))
      print(TerminalText.escape("treasury-report: " + summary))
    } else {
      Diagnostics.write(TerminalText.lines(findings + ["treasury-report: " + summary]))
    }
  }
}
