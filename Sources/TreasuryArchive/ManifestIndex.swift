import Foundation
import TreasuryOutput

/// The part of an output folder's `manifest.json` that `verify` and `publish` read: who wrote it, the flags that
/// shaped it, and every file it lists; other fields may come and go between versions.
package struct ManifestIndex: Decodable, Sendable {
  package var tool: String
  package var options: [String: String]
  package var outputs: [OutputFile]

  /// The largest `manifest.json` read: one lists a few hundred bytes per file written, so this holds a folder
  /// of about a million files; decoding needs about five times its size.
  package static let byteLimit = 256 << 20

  /// Decodes `data`, refusing a manifest another tool wrote.
  package init(decoding data: Data) throws(ManifestIndexError) {
    do {
      self = try JSONDecoder().decode(ManifestIndex.self, from: data)
    } catch {
      throw .unreadable(ArchiveVerifier.describe(error))
    }
    guard tool == Manifest.toolName else { throw .foreign }
  }
}

/// Why a `manifest.json` cannot be read as one this tool wrote.
package enum ManifestIndexError: Error, Sendable, Equatable {
  case unreadable(String)
  case foreign

  /// The message after the manifest's path (`out/manifest.json: error: …`).
  package var reason: String {
    switch self {
    case .unreadable(let detail): return "is not a readable manifest (\(detail))"
    case .foreign: return "was not written by treasury-report"
    }
  }
}
