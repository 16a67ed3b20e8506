import Foundation

/// How `ObjectStore.put` writes a new object; a local folder ignores retention and encryption (and says so once).
package struct PutOptions: Sendable, Equatable {
  /// Server-side encryption S3 applies at rest.
  package enum Encryption: Sendable, Equatable {
    /// `x-amz-server-side-encryption: AES256` (SSE-S3).
    case aes256
    /// `aws:kms` with the bucket's default key (nil) or the named key id or ARN (SSE-KMS).
    case kms(keyID: String?)
  }

  package var retention: Retention?
  package var encryption: Encryption?
  /// `Content-Type` of the object (`application/gzip`, `text/csv; charset=utf-8`, …).
  package var contentType: String

  package init(
    retention: Retention? = nil, encryption: Encryption? = nil, contentType: String = "application/octet-stream"
  ) {
    self.retention = retention
    self.encryption = encryption
    self.contentType = contentType
  }
}
