import Foundation

/// One dump file to read, with the connected account it belongs to.
package struct InputFile: Sendable, Hashable {
  package enum Format: Sendable, Hashable {
    /// One JSON value per line (`.jsonl`, standard input).
    case jsonLines
    /// Any number of JSON values, each of which may span lines (`.json`).
    case jsonDocument
  }

  /// The path as the user gave it or as found under a given folder; `-` is standard input.
  package var path: String
  package var format: Format
  package var gzip: Bool
  /// `acct_…` of the connected account, or empty for the platform.
  package var account: String
  /// Bytes on disk when the file was found (0 for standard input or when unknown): sizes the progress line and
  /// decides whether a unit is partitioned and into which ranges, without a `stat` per question.
  package var size: Int

  /// `size`: looked up on disk when not given.
  package init(path: String, format: Format, gzip: Bool, account: String, size: Int? = nil) {
    self.path = path
    self.format = format
    self.gzip = gzip
    self.account = account
    self.size =
      size ?? (path == "-" ? 0 : (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)
  }

  /// The format a file name implies, or nil when it is not a dump file.
  package static func kind(of name: String) -> (format: Format, gzip: Bool)? {
    if name.hasSuffix(".jsonl") { return (.jsonLines, false) }
    if name.hasSuffix(".jsonl.gz") { return (.jsonLines, true) }
    if name.hasSuffix(".json") { return (.jsonDocument, false) }
    if name.hasSuffix(".json.gz") { return (.jsonDocument, true) }
    return nil
  }

  /// The connected account named by the last of `folders` (outermost first) that looks like a Stripe account id.
  package static func connectedAccount<S: StringProtocol>(folders: [S]) -> String? {
    folders.last(where: { isAccountID($0) }).map { String($0) }
  }

  package static func isAccountID<S: StringProtocol>(_ text: S) -> Bool {
    guard text.hasPrefix("acct_"), text.count > 5 else { return false }
    return text.utf8.dropFirst(5).allSatisfy { c in
      (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
        || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9"))
    }
  }
}
