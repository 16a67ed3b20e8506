import Foundation

/// `statement.json` in a version folder, written last of its objects: its presence means the version is complete.
///
/// It holds nothing that depends on the run that wrote it (no run id, no time), so a version completed by a rerun
/// after a crash is byte for byte the one an uninterrupted run writes.
struct VersionRecord: Codable, Sendable, Equatable {
  var financialAccount: String
  var currency: String
  var period: String
  var version: Int
  var digest: String
  var restates: Int?
  /// The summary row, by column.
  var summary: [String: String]
  /// The version's other objects (file name → SHA-256).
  var files: [String: String]

  enum CodingKeys: String, CodingKey {
    case financialAccount = "financial_account"
    case currency, period, version, digest, restates, summary, files
  }

  static let name = "statement.json"

  var data: Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    return ((try? encoder.encode(self)) ?? Data()) + Data("\n".utf8)
  }
}
