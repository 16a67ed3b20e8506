/// The outcome of signing: the headers to add and the intermediate texts AWS's test suite checks.
///
/// Printing it shows the signature only: the headers and the canonical request hold the session token.
package struct SigV4Signature: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
  /// Headers to add to the request, in this order (`Authorization` last).
  package var headers: [(name: String, value: String)]
  /// The percent-encoded path that was signed; in `.s3` mode this is the path the request must send.
  package var canonicalURI: String
  /// The percent-encoded, sorted query that was signed; a valid query string to send as is.
  package var canonicalQuery: String
  package var canonicalRequest: String
  package var stringToSign: String
  /// The signature in lowercase hex.
  package var signature: String

  package var authorization: String { headers.last { $0.name == "Authorization" }?.value ?? "" }

  package var description: String { "SigV4 signature \(signature)" }
  package var debugDescription: String { description }
  package var customMirror: Mirror { Mirror(self, children: ["description": description]) }
}
