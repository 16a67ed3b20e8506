import Foundation

/// An AWS access key pair, with the session token of temporary credentials; never printed.
///
/// `description`, `debugDescription` and the mirror (`dump`) show the access key id only, so string
/// interpolation of the credentials (a log line, an error built in a hurry) cannot leak the secret or the token.
package struct AWSCredentials: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
  CustomReflectable
{
  /// The public half (`AKIA…`, `ASIA…`): safe to show, it names the key in AWS's own errors.
  package var accessKeyID: String
  var secretAccessKey: String
  /// Present for temporary credentials (STS, web identity); sent as `X-Amz-Security-Token`.
  var sessionToken: String?

  package init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
    self.accessKeyID = accessKeyID
    self.secretAccessKey = secretAccessKey
    self.sessionToken = sessionToken
  }

  package var hasSessionToken: Bool { sessionToken != nil }

  package var description: String {
    "AWS credentials \(accessKeyID) (secret redacted\(sessionToken == nil ? "" : ", session token redacted"))"
  }
  package var debugDescription: String { description }
  // Without this, `dump` and the debugger walk the stored properties and print the secret.
  package var customMirror: Mirror { Mirror(self, children: ["description": description]) }

  /// `text` with the secret and the session token replaced, for messages that quote a server.
  ///
  /// S3's `SignatureDoesNotMatch` answer quotes the canonical request, which holds the session token.
  package func redact(_ text: String) -> String {
    var out = text
    for (secret, label) in [(secretAccessKey, "[secret redacted]"), (sessionToken ?? "", "[session token redacted]")]
    where secret.count >= 4 {
      out = out.replacingOccurrences(of: secret, with: label)
    }
    return out
  }
}
