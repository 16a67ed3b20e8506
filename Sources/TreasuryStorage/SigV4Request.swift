import Foundation

/// One HTTP request as AWS Signature Version 4 sees it, before signing.
///
/// Everything here is signed; the signer adds `X-Amz-Date`, `X-Amz-Content-Sha256` and
/// `X-Amz-Security-Token` itself, so `headers` must not hold them (nor `Host` or `Authorization`).
package struct SigV4Request: Sendable {
  package var method: String
  /// The `Host` header exactly as sent: lowercase, with `:port` only when the port is not the scheme's default.
  package var host: String
  /// The path, starting with `/`: decoded (`/bucket/2026-03/a b.csv`) in `.s3` mode, as sent in `.normalized`
  /// mode (see `SigV4Signer.PathMode`).
  package var path: String
  /// Decoded names and values in any order; a name may repeat, a value may be empty (`?uploads` is `("uploads", "")`).
  package var query: [(name: String, value: String)]
  /// The other headers to sign, in the order they are sent; a name may repeat.
  package var headers: [(name: String, value: String)]
  /// The body's SHA-256 in lowercase hex (`SigV4Signer.payloadHash(of:)`), or `SigV4Signer.unsignedPayload`.
  package var payloadHash: String

  package init(
    method: String, host: String, path: String, query: [(name: String, value: String)] = [],
    headers: [(name: String, value: String)] = [], payloadHash: String = SigV4Signer.emptyPayloadHash
  ) {
    self.method = method
    self.host = host
    self.path = path
    self.query = query
    self.headers = headers
    self.payloadHash = payloadHash
  }
}
