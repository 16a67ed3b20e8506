import ArgumentParser
import Foundation
import TreasuryModel
import TreasuryValidate

struct ValidateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "validate",
    abstract: "Check camt.053 files against the official ISO 20022 schema and the statement's arithmetic.",
    discussion: """
      Each file must be a camt.053.001.02 or camt.053.001.08 document that is valid against the official \
      schema and whose amounts have their currency's decimals, whose OPBD plus booked credits minus booked \
      debits equals its CLBD, and whose transaction summary equals its booked entries. Problems are printed \
      to stderr as FILE:LINE: error: PATH: message. A folder stands for the *.xml and *.xml.gz files under it.

      Examples:
        # Every camt.053 document a statements run wrote
        treasury-report validate statements/
        # One document, gzipped as --gzip writes it
        treasury-report validate statements/2026-03/fa_1Abc/statement.camt053.xml.gz

      Exit codes: 0 all valid; 1 usage error; 2 some document is invalid; 4 some file cannot be read.
      """
  )

  @Argument(help: ArgumentHelp("camt.053 files, or folders holding them.", valueName: "file-or-dir"))
  var files: [String]

  func run() throws {
    let report = ValidateJob(paths: files).run()
    for line in report.verdicts { print(TerminalText.escape(line)) }
    Diagnostics.write(TerminalText.lines(report.diagnostics))
    if report.exitCode != ExitStatus.success { throw ExitCode(report.exitCode) }
  }
}
