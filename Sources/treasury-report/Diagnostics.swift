import Foundation
import TreasuryReport

/// Writes a run report to stderr: problems as they are, the rest prefixed with the tool's name.
enum Diagnostics {
  static func print(_ report: RunReport) {
    var text = ""
    for line in report.errors { text += line + "\n" }
    for line in report.text {
      text += (line.hasPrefix(" ") ? line : "treasury-report: " + line) + "\n"
    }
    FileHandle.standardError.write(Data(text.utf8))
  }
}
