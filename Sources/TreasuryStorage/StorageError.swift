import Foundation
import TreasuryModel

/// Why storage refused or failed; every message names the object or target and what to do.
///
/// The S3 client adds its cases here (denied, signature mismatch, no such bucket, wrong region, retries spent…);
/// `exitStatus` maps each to the README's exit codes.
package enum StorageError: Error, Sendable, Equatable {
  /// What the user gave as a storage URL or path cannot be one.
  case invalidTarget(String, reason: String)
  /// Different bytes are already stored under this name: the tool never replaces a published object.
  case objectExists(key: String, target: String, storedSHA256: String?, localSHA256: String)

  package var message: String {
    switch self {
    case .invalidTarget(let text, let reason):
      return "\(text): error: not a storage location: \(reason)"
    case .objectExists(let key, let target, let stored, let local):
      let url = StorageTarget.display(key, under: target)
      return
        "\(url): error: different bytes are already stored under this name (stored sha256 \(stored ?? "unknown"), local \(local)); published objects are never replaced: publish to a new prefix, or find out why this output differs from the one published"
    }
  }

  /// The process exit code (README, Exit codes).
  package var exitStatus: Int32 {
    switch self {
    case .invalidTarget: return ExitStatus.usage
    case .objectExists: return ExitStatus.objectExists
    }
  }
}

extension StorageTarget {
  /// `key` under a target given as its description.
  static func display(_ key: String, under target: String) -> String {
    target.hasSuffix("/") ? target + key : target + "/" + key
  }
}
