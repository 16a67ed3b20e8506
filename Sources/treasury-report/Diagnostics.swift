import Foundation
import TreasuryJob
import TreasuryModel
import TreasuryOutput

/// Writes a run report to stderr: problems as they are, the rest prefixed with the tool's name (control characters
/// escaped: messages quote the dump).
enum Diagnostics {
  static func print(_ report: RunReport) {
    let text = report.errors + report.text.map { $0.hasPrefix(" ") ? $0 : "treasury-report: " + $0 }
    write(TerminalText.lines(text))
  }

  static func write(_ text: String) { StandardError.write(text) }
}
