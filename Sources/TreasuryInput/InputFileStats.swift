/// What was read from one input file, for the manifest.
package struct InputFileStats: Sendable, Hashable, Codable {
  package init(path: String, bytes: Int, sha256: String, lines: Int) {
    self.path = path
    self.bytes = bytes
    self.sha256 = sha256
    self.lines = lines
  }

  package var path: String
  package var bytes: Int
  package var sha256: String
  package var lines: Int
}
