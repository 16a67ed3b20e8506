import ArgumentParser
import Foundation
import TreasuryModel

/// The `treasury-report` command: parses flags, calls the library, maps the outcome to an exit code.
@main
struct Entrypoint: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "treasury-report",
    abstract: "Bank statements, exports and archives from Stripe Treasury data.",
    discussion: """
      Shell completions: `treasury-report --generate-completion-script bash` (or zsh, fish) prints a script to \
      source or install (see the README).
      """,
    version: TreasuryReportVersion.string,
    subcommands: [
      StatementsCommand.self, VerifyCommand.self, ValidateCommand.self, FetchCommand.self, PublishCommand.self,
      RunCommand.self, MergeCommand.self,
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
      var message = fullMessage(for: error)
      while message.hasSuffix("\n") { message.removeLast() }
      if code == .success {
        // Help, the version and completion scripts are the tool's own text, quoting nothing from the command line:
        // printed as they are (escaping them turned every line break into a literal \n).
        print(message)
        Foundation.exit(0)
      }
      if let exit = error as? ExitCode { Foundation.exit(exit.rawValue) }
      // A usage error may quote a flag's value: each line is escaped on its own, so line breaks stay line breaks.
      Diagnostics.write(
        TerminalText.lines(message.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)))
      Foundation.exit(ExitStatus.usage)
    }
  }
}
