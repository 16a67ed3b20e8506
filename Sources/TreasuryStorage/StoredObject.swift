import Foundation

/// What a store holds under one key, as a `HEAD` or a listing tells it.
package struct StoredObject: Sendable, Equatable {
  /// Relative to the target (`2026-03/summary.csv`), never with the target's prefix.
  package var key: String
  package var size: Int64
  /// The lowercase hex SHA-256 of the whole object when the store records it (S3: the `x-amz-meta-sha256` the
  /// tool writes with every object, since S3's own checksum of a multipart object is not of the whole); nil when
  /// unknown (the object was not written by this tool, or a listing does not carry it).
  package var sha256: String?
  /// The Object Lock retention on the object, when the store reports one.
  package var retention: Retention?

  package init(key: String, size: Int64, sha256: String? = nil, retention: Retention? = nil) {
    self.key = key
    self.size = size
    self.sha256 = sha256
    self.retention = retention
  }
}
