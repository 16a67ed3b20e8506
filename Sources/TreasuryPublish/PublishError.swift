import TreasuryModel
import TreasuryStorage

/// Why `publish` refused or stopped; every message names the file or object and what to do.
package enum PublishError: Error, Sendable {
  /// The output folder does not verify against its manifest (what `verify` prints, and its exit code): nothing
  /// was sent.
  case sourceNotVerified(findings: [String], exitStatus: Int32)
  /// A file changed between the check and the upload (the manifest was rewritten under the run).
  case sourceChanged(path: String)
  /// The manifest lists paths that cannot be published under the layout.
  case layout(manifest: String, reason: String)
  /// Objects already stored hold other bytes than the folder's files: nothing was written.
  case conflicts([StorageError])
  /// Storage failed (one or more objects) after `written` objects were stored; the manifest was not written.
  case storage([StorageError], written: Int)
  /// Everything is stored, but interrupted uploads of earlier runs could not be removed.
  case cleanup(StorageError, manifest: String)
  /// Flags that cannot go together, or a value out of range.
  case usage(String)

  /// The lines printed to stderr, each naming the file or object.
  package var messages: [String] {
    switch self {
    case .sourceNotVerified(let findings, _):
      return findings + ["treasury-report: error: the folder does not match its manifest; nothing was published"]
    case .sourceChanged(let path):
      return [
        "\(path): error: changed while publish read the folder; nothing was published: publish again once nothing writes to the folder"
      ]
    case .layout(let manifest, let reason):
      return ["\(manifest): error: cannot be published: \(reason)"]
    case .conflicts(let errors):
      return errors.map(\.message) + [
        "treasury-report: error: \(errors.count) object\(errors.count == 1 ? "" : "s") already hold\(errors.count == 1 ? "s" : "") other bytes; nothing was written"
      ]
    case .storage(let errors, let written):
      let outcome =
        written == 0
        ? "nothing was published"
        : "the publication is incomplete (\(written) object\(written == 1 ? "" : "s") written, not its manifest): run publish again to finish it"
      return errors.map(\.message) + ["treasury-report: error: " + outcome]
    case .cleanup(let error, let manifest):
      return [
        error.message,
        "treasury-report: error: published (\(manifest)), but unfinished uploads of earlier runs could not be removed and may cost storage: run publish again",
      ]
    case .usage(let message):
      return ["treasury-report: error: " + message]
    }
  }

  /// The process exit code (README, Exit codes).
  package var exitStatus: Int32 {
    switch self {
    case .sourceNotVerified(_, let status): return status
    case .sourceChanged: return ExitStatus.ioError
    case .layout: return ExitStatus.invalidInput
    case .conflicts: return ExitStatus.objectExists
    case .cleanup(let error, _): return error.exitStatus
    case .storage(let errors, _):
      // A conflict found only while writing (another publisher raced this one) is still a conflict.
      if errors.contains(where: { $0.exitStatus == ExitStatus.objectExists }) { return ExitStatus.objectExists }
      return errors.first?.exitStatus ?? ExitStatus.fetchIncomplete
    case .usage: return ExitStatus.usage
    }
  }
}
