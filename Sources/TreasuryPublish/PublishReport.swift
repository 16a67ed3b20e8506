import Foundation
import TreasuryModel

/// What `publish` did, for stderr and the exit code.
public struct PublishReport: Sendable {
  public var source = ""
  public var destination = ""
  /// Objects written by this run, and their bytes.
  public var written = 0
  public var bytesWritten: Int64 = 0
  /// Objects already stored with the same bytes (a rerun: all of them).
  public var unchanged = 0
  public var seconds = 0.0
  /// The stored manifest's URL and SHA-256, once it is stored.
  public var manifestURL: String?
  public var manifestSHA256: String?
  /// Interrupted uploads and staging files of earlier runs removed.
  public var incompleteRemoved = 0
  /// Lines worth reading though the run succeeded (statements that do not reconcile, retention on a folder).
  public var warnings: [String] = []
  /// Error lines, each naming a file or object.
  public var errors: [String] = []
  public var exitCode = ExitStatus.success

  public init() {}

  /// The lines printed to stderr, warnings and errors first, then the summary.
  public var lines: [String] {
    var lines = warnings + errors
    guard exitCode == ExitStatus.success, let manifestURL, let manifestSHA256 else { return lines }
    let elapsed = String(format: "%.1f", seconds)
    lines.append(
      "treasury-report: published \(source) to \(destination): \(written) object\(written == 1 ? "" : "s") written (\(bytesWritten) bytes), \(unchanged) unchanged, in \(elapsed) s"
    )
    lines.append("treasury-report: manifest \(manifestURL) (sha256 \(manifestSHA256))")
    if incompleteRemoved > 0 {
      lines.append(
        "treasury-report: removed \(incompleteRemoved) unfinished upload\(incompleteRemoved == 1 ? "" : "s") left by an earlier run"
      )
    }
    return lines
  }
}
