import Foundation

/// An S3 error answer (`<Error><Code>…</Code><Message>…</Message></Error>` and its headers), and the
/// `StorageError` it stands for.
package struct S3ErrorAnswer: Sendable, Equatable {
  package var status: Int
  /// S3's code (`SignatureDoesNotMatch`, `NoSuchBucket`…); empty when the answer had no XML body (a HEAD's).
  package var code: String
  package var message: String
  /// The bucket's real region, from `x-amz-bucket-region` or the body's `Region`, when the service says it.
  package var region: String?

  package init(status: Int, code: String, message: String = "", region: String? = nil) {
    self.status = status
    self.code = code
    self.message = message
    self.region = region
  }

  /// Reads an answer's body (if XML) and the region header. `redact` removes secrets from the server's text.
  package init(status: Int, body: [UInt8], bucketRegion: String?, redact: (String) -> String) {
    let document = S3XML.parse(body)
    let error = document?.name == "Error" ? document : document?["Error"]
    self.status = status
    code = error?.value("Code") ?? ""
    // S3 quotes the canonical request and string to sign in SignatureDoesNotMatch; only the message is kept.
    let text = redact(error?.value("Message") ?? "")
    message = text.count <= 300 ? text : String(text.prefix(300)) + "…"
    let fromBody = error?.value("Region")
    region = [bucketRegion, fromBody].compactMap { $0 }.first { !$0.isEmpty }
  }

  /// Whether the request went to the wrong region (a HEAD's answer has no body: then its status and
  /// `x-amz-bucket-region` say so).
  package var isWrongRegion: Bool {
    ["PermanentRedirect", "AuthorizationHeaderMalformed", "IllegalLocationConstraintException", "IncorrectEndpoint"]
      .contains(code) || (code.isEmpty && (status == 301 || (status == 400 && region != nil)))
  }

  /// Whether S3 says the request can be sent again as it is (besides 429 and 5xx).
  package var isRetryable: Bool {
    ["SlowDown", "InternalError", "ServiceUnavailable", "RequestTimeout", "RequestTimeTooSkewed", "OperationAborted"]
      .contains(code)
  }

  /// Whether temporary credentials ran out (web identity: renew and send again).
  package var isExpiredToken: Bool { ["ExpiredToken", "TokenRefreshRequired"].contains(code) }

  /// The error for the user. `url` names the object or bucket, `action` the permission the request needs.
  package func storageError(
    url: String, action: String, bucket: String, endpoint: String, region: String, accessKeyID: String
  ) -> StorageError {
    switch code {
    case "SignatureDoesNotMatch": return .signatureMismatch(url: url, accessKeyID: accessKeyID)
    case "InvalidAccessKeyId", "InvalidClientTokenId": return .unknownAccessKey(url: url, accessKeyID: accessKeyID)
    case "AccessDenied", "AllAccessDisabled":
      return .accessDenied(url: url, action: action, accessKeyID: accessKeyID, detail: message)
    case "NoSuchBucket": return .noSuchBucket(bucket: bucket, endpoint: endpoint)
    case "BadDigest", "XAmzContentSHA256Mismatch", "InvalidDigest": return .badDigest(url: url)
    default:
      if isWrongRegion { return .wrongRegion(bucket: bucket, used: region, actual: self.region) }
      return .service(url: url, status: status, code: code, message: message)
    }
  }
}
