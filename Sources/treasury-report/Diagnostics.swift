import Foundation
import TreasuryReport

/// Writes a run report to stderr: problems as they are, the rest prefixed with the tool's name (control characters
/// escaped: messages quote the dump).
enum Diagnostics {
  static func print(_ report: RunReport) {
    let text = report.errors + report.text.map { $0.hasPrefix(" ") ? $0 : "treasury-report: " + $0 }
    write(TerminalText.lines(text))
  }

  /// Writes to stderr as far as it will take it. `FileHandle.write` traps when stderr fails (a file past `ulimit -f`,
  /// a closed pipe), which would turn the run's exit status into a crash.
  static func write(_ text: String) {
    var bytes = Array(text.utf8)[...]
    while !bytes.isEmpty {
      let n = bytes.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
      if n < 0 && errno == EINTR { continue }
      guard n > 0 else { return }
      bytes = bytes.dropFirst(n)
    }
  }
}
