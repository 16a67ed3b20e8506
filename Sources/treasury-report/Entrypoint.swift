import ArgumentParser
import Foundation
import TreasuryModel

/// The `treasury-report` command: parses flags, calls the library, maps the outcome to an exit code.
@main
struct Entrypoint: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "treasury-report",
    abstract: "Bank statements, exports and archives from Stripe Treasury data.",
    version: TreasuryReportVersion.string,
    subcommands: [
      StatementsCommand.self, VerifyCommand.self, ValidateCommand.self, FetchCommand.self, PublishCommand.self,
    ]
  )

  /// Usage errors exit 1 (argument-parser's default is 64), as the README documents.
  static func main() async {
    // Past a file size limit (ulimit -f), a write fails with EFBIG and is reported like any I/O error, with the
    // file's name and the staging folder removed, instead of the process dying on the spot.
    signal(SIGXFSZ, SIG_IGN)
    // A closed stderr or stdout pipe (`| head`) is a failed write, not death by SIGPIPE.
    signal(SIGPIPE, SIG_IGN)
    do {
      var command = try parseAsRoot()
      // `fetch`, `publish` and `verify` are async; the others run synchronously on this task.
      if var command = command as? AsyncParsableCommand {
        try await command.run()
      } else {
        try command.run()
      }
    } catch {
      let code = exitCode(for: error)
      if code == .success {
        // Help and the version are the tool's own text: each line is escaped on its own, so line breaks stay.
        let lines = fullMessage(for: error).split(separator: "\n", omittingEmptySubsequences: false)
        print(TerminalText.lines(lines.map(String.init)), terminator: "")
        Foundation.exit(0)
      }
      if let exit = error as? ExitCode { Foundation.exit(exit.rawValue) }
      // A usage error quotes what was typed: one escaped line, so a value cannot start a line of its own.
      Diagnostics.write(TerminalText.lines([fullMessage(for: error)]))
      Foundation.exit(ExitStatus.usage)
    }
  }
}
