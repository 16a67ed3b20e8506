import ArgumentParser
import Foundation
import TreasuryArchive
import TreasuryModel

struct VerifyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "verify",
    abstract: "Prove that period archives and output folders are unchanged and that their statements reconcile.",
    discussion: """
      Checks gzip integrity, tar structure, every file or member against its manifest (size, SHA-256, rows; \
      nothing missing or extra), and recomputes each statement from its CSV files. Exit codes: 0 everything \
      holds; 1 usage error; 2 something does not verify; 3 intact, but a statement does not reconcile (as \
      its summary row records); 4 a path cannot be read.
      """
  )

  @Argument(help: "Archives (archive/<period>.tar.gz) or output folders (with manifest.json).")
  var paths: [String]

  func run() throws {
    let report = VerifyJob(paths: paths).run()
    var lines = report.findings.map(\.line)
    let code = report.exitCode
    if code == ExitStatus.success || code == ExitStatus.unreconciled {
      Diagnostics.write(TerminalText.lines(lines))
      print(TerminalText.escape("treasury-report: " + report.summary))
    } else {
      lines.append("treasury-report: " + report.summary)
      Diagnostics.write(TerminalText.lines(lines))
    }
    if code != ExitStatus.success { throw ExitCode(code) }
  }
}
