/// A file the run wrote, as listed in `manifest.json`.
package struct OutputFile: Sendable, Hashable, Codable {
  /// Relative to the output folder, with `/` separators (ending in `.gz` for a gzipped file).
  package var path: String
  /// Size and SHA-256 of the file as stored.
  package var bytes: Int
  package var sha256: String
  /// Data rows (CSV rows without the header, JSON lines); nil for other files.
  package var rows: Int?
  /// For a gzipped file: size and SHA-256 of what it decompresses to, the
  /// same bytes an uncompressed run writes and an archive holds.
  package var contentBytes: Int?
  package var contentSHA256: String?

  package init(
    path: String, bytes: Int, sha256: String, rows: Int?, contentBytes: Int? = nil, contentSHA256: String? = nil
  ) {
    self.path = path
    self.bytes = bytes
    self.sha256 = sha256
    self.rows = rows
    self.contentBytes = contentBytes
    self.contentSHA256 = contentSHA256
  }

  /// The file's name without `.gz` when it is gzipped: what it holds.
  package var contentPath: String {
    contentSHA256 != nil && path.hasSuffix(".gz") ? String(path.dropLast(3)) : path
  }

  /// Size and SHA-256 of the content (the stored bytes for a file that is not gzipped).
  package var content: (bytes: Int, sha256: String) {
    (contentBytes ?? bytes, contentSHA256 ?? sha256)
  }

  enum CodingKeys: String, CodingKey {
    case path, bytes, sha256, rows
    case contentBytes = "content_bytes"
    case contentSHA256 = "content_sha256"
  }
}
