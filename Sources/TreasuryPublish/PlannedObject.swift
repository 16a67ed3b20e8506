/// One file of the output folder and the key it is published under, with what its manifest says it holds.
package struct PlannedObject: Sendable, Equatable {
  /// Relative to the storage target (`2026-03/fa_…/transactions.csv`).
  package var key: String
  /// The file in the output folder.
  package var path: String
  /// As `manifest.json` lists it (the manifest's own digest for the manifest).
  package var size: Int64
  package var sha256: String

  package init(key: String, path: String, size: Int64, sha256: String) {
    self.key = key
    self.path = path
    self.size = size
    self.sha256 = sha256
  }

  /// `Content-Type` for the object, from its name: what a browser or S3 console shows it as.
  ///
  /// A gzipped file stays `application/gzip` without `Content-Encoding`, so that clients keep the stored bytes,
  /// whose SHA-256 the manifest records, instead of decompressing them on the way.
  package var contentType: String { Self.contentType(of: key) }

  static func contentType(of name: String) -> String {
    if name.hasSuffix(".gz") { return "application/gzip" }
    guard let dot = name.lastIndex(of: "."), !name[dot...].contains("/") else { return "application/octet-stream" }
    switch name[name.index(after: dot)...] {
    case "csv": return "text/csv; charset=utf-8"
    case "json": return "application/json"
    case "jsonl": return "application/jsonl"
    case "xml": return "application/xml"
    case "ofx": return "application/x-ofx"
    case "html": return "text/html; charset=utf-8"
    case "bai2": return "text/plain; charset=us-ascii"
    default: return "application/octet-stream"
    }
  }
}
