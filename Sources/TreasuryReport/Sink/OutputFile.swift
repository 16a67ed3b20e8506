/// A file the run wrote, as listed in `manifest.json`.
public struct OutputFile: Sendable, Hashable, Codable {
  /// Relative to the output folder, with `/` separators.
  public var path: String
  public var bytes: Int
  public var sha256: String
  /// Data rows (CSV rows without the header, JSON lines); nil for other files.
  public var rows: Int?

  public init(path: String, bytes: Int, sha256: String, rows: Int?) {
    self.path = path
    self.bytes = bytes
    self.sha256 = sha256
    self.rows = rows
  }
}
