import Foundation
import Synchronization
import TreasuryHTTP

/// One request to S3 on the store's bucket, before signing.
struct S3Call: Sendable {
  var method: String
  /// The key in the bucket, the target's prefix included; nil for the bucket itself (listings, `?uploads`).
  var key: String?
  var query: [(name: String, value: String)] = []
  /// Headers to send and sign (`Content-Type`, `x-amz-…`).
  var headers: [(name: String, value: String)] = []
  var body: [UInt8]? = nil
  /// The body's SHA-256 (lowercase hex) when already known; computed from `body` otherwise.
  var payloadHash: String? = nil
  /// The permission the request needs, named in an AccessDenied message (`s3:PutObject`).
  var action: String
  /// Statuses handed back to the caller; any other is an error.
  var accept: Set<Int> = [200]
  /// The largest answer body accepted.
  var maxBytes: Int = 1 << 22
  /// Whether a 200 may still carry an `<Error>` (CompleteMultipartUpload fails that way) to retry.
  var errorIn200 = false
}

/// Signs and sends requests on one bucket, retrying what S3 says can be retried, following a wrong region once,
/// renewing expired temporary credentials once, and turning every other refusal into a `StorageError`.
package final class S3Client: Sendable {
  package let bucket: String
  let credentials: AWSCredentialSource
  let http: RetryingClient
  private let location: Mutex<(region: String, endpoint: S3Endpoint)>

  init(bucket: String, endpoint: S3Endpoint, region: String, credentials: AWSCredentialSource, http: RetryingClient) {
    self.bucket = bucket
    self.credentials = credentials
    self.http = http
    location = Mutex((region, endpoint))
  }

  /// The region requests are signed for now (it changes when S3 says the bucket is elsewhere).
  package var region: String { location.withLock { $0.region } }
  package var endpoint: S3Endpoint { location.withLock { $0.endpoint } }

  /// Sends `call`; `url` names the object or bucket in messages.
  func send(_ call: S3Call, url: String) async throws(StorageError) -> BoundedHTTP.Answer {
    let payloadHash =
      call.payloadHash ?? call.body.map { SigV4Signer.payloadHash(of: $0) } ?? SigV4Signer.emptyPayloadHash
    var followedRegion = false
    var renewed = false
    while true {
      let (region, endpoint) = location.withLock { $0 }
      var used = AWSCredentials(accessKeyID: "", secretAccessKey: "")
      let answer = try await http.send(url: url, maxBytes: call.maxBytes) { () throws(StorageError) in
        used = try await credentials.current()
        return Self.signed(call, payloadHash: payloadHash, endpoint: endpoint, region: region, credentials: used)
      } retryable: { answer in
        Self.retryReason(answer, call: call, redact: used.redact)
      }
      if call.accept.contains(answer.status) { return answer }
      var error = S3ErrorAnswer(
        status: answer.status, body: answer.body, bucketRegion: answer.header("x-amz-bucket-region"),
        redact: used.redact)
      if error.code.isEmpty, !error.isWrongRegion, call.method == "HEAD", [301, 400, 403].contains(answer.status) {
        // A HEAD's answer has no body: the same request as a one-byte GET says what S3 objects to.
        var probe = call
        probe.method = "GET"
        probe.headers.append(("Range", "bytes=0-0"))
        probe.accept = []
        let probed = try await http.send(url: url, maxBytes: 1 << 20) { () throws(StorageError) in
          Self.signed(probe, payloadHash: payloadHash, endpoint: endpoint, region: region, credentials: used)
        } retryable: { answer in
          Self.retryReason(answer, call: probe, redact: used.redact)
        }
        let better = S3ErrorAnswer(
          status: probed.status, body: probed.body, bucketRegion: probed.header("x-amz-bucket-region"),
          redact: used.redact)
        if !better.code.isEmpty { error = better }
      }
      if error.isExpiredToken, !renewed {
        renewed = true
        credentials.expire()
        continue
      }
      if error.isWrongRegion, let actual = error.region, actual != region, !followedRegion {
        followedRegion = true
        location.withLock { $0 = (actual, $0.endpoint.inRegion(actual)) }
        continue
      }
      throw error.storageError(
        url: url, action: call.action, bucket: bucket, endpoint: endpoint.description, region: region,
        accessKeyID: used.accessKeyID)
    }
  }

  /// Why `answer` should be sent again, or nil to keep it.
  private static func retryReason(_ answer: BoundedHTTP.Answer, call: S3Call, redact: (String) -> String) -> String? {
    let retryableStatus = RetryPolicy.isRetryable(status: answer.status)
    guard retryableStatus || answer.status == 400 || (answer.status == 200 && call.errorIn200) else { return nil }
    let error = S3ErrorAnswer(status: answer.status, body: answer.body, bucketRegion: nil, redact: redact)
    if answer.status == 200 && error.code.isEmpty { return nil }
    guard retryableStatus || error.isRetryable else { return nil }
    let detail = [error.code, error.message].filter { !$0.isEmpty }.joined(separator: ": ")
    return "HTTP \(answer.status)" + (detail.isEmpty ? "" : " " + detail)
  }

  /// The request to send: signed for `region` at this moment, addressed as `endpoint` says.
  private static func signed(
    _ call: S3Call, payloadHash: String, endpoint: S3Endpoint, region: String, credentials: AWSCredentials
  ) -> HTTPRequest {
    let signer = SigV4Signer.s3(credentials: credentials, region: region)
    let signature = signer.sign(
      SigV4Request(
        method: call.method, host: endpoint.host, path: endpoint.path(call.key), query: call.query,
        headers: call.headers, payloadHash: payloadHash),
      at: Date())
    let query = signature.canonicalQuery.isEmpty ? "" : "?" + signature.canonicalQuery
    return HTTPRequest(
      method: call.method, url: "\(endpoint.scheme)://\(endpoint.host)\(signature.canonicalURI)\(query)",
      headers: call.headers + signature.headers, body: call.body)
  }
}
