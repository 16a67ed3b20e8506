import Foundation
import TreasuryModel

/// Why storage refused or failed; every message names the object or target and what to do.
///
/// Messages never hold a secret: what a server answered is passed through `AWSCredentials.redact` before it is
/// kept here. `exitStatus` maps each case to the README's exit codes: a setting or credentials to fix is 1, a
/// local file that cannot be read or written is 4, an object missing or too large for `download` is 2 (as
/// `verify` reports a changed file), a service that did not finish (retries spent, connection lost,
/// 5xx, a corrupted transfer) is 5 (rerun to resume), different bytes already stored is 8.
package enum StorageError: Error, Sendable, Equatable {
  /// What the user gave as a storage URL or path cannot be one.
  case invalidTarget(String, reason: String)
  /// Different bytes are already stored under this name: the tool never replaces a published object.
  case objectExists(key: String, target: String, storedSHA256: String?, localSHA256: String)
  /// The key cannot name an object (empty, `..`, a leading `/`, an empty segment…).
  case invalidKey(key: String, target: String, reason: String)
  /// A store setting is out of range (part size, concurrency, an endpoint URL).
  case invalidSettings(String)
  /// A local file or folder could not be read or written (`reason` from the system).
  case io(path: String, reason: String)
  /// The file to upload no longer has the size or SHA-256 it was given: it changed under the run.
  case localFileChanged(path: String, expectedSHA256: String, actualSHA256: String)
  /// Nothing is stored under the key (`download`).
  case notFound(url: String)
  /// The stored object is larger than the caller accepts (`download`).
  case tooLarge(url: String, size: Int64, maxBytes: Int64)
  /// No credentials were found; `tried` lists the sources looked at, in order.
  case noCredentials(tried: [String])
  /// Credentials were found but cannot be used: a malformed shared credentials file (`FILE:LINE`), an unreadable
  /// web identity token, STS refusing the role. The text never holds a secret.
  case badCredentials(String)
  /// S3 `SignatureDoesNotMatch`: the secret key is not the one of the access key id.
  case signatureMismatch(url: String, accessKeyID: String)
  /// S3 `InvalidAccessKeyId`: the service does not know the access key id.
  case unknownAccessKey(url: String, accessKeyID: String)
  /// S3 `AccessDenied` (403): the credentials are valid but lack `action` on the object or bucket.
  case accessDenied(url: String, action: String, accessKeyID: String, detail: String)
  /// S3 `NoSuchBucket`.
  case noSuchBucket(bucket: String, endpoint: String)
  /// The bucket lives in another region than the one requests were signed for (and following it did not help).
  case wrongRegion(bucket: String, used: String, actual: String?)
  /// S3 `BadDigest` / `XAmzContentSHA256Mismatch`: what arrived did not match the checksum sent, so nothing was
  /// stored (a transfer corrupted on the way, or a local file that changed while it was read).
  case badDigest(url: String)
  /// Every attempt failed with a retryable answer (5xx, `SlowDown`, 429, timeout, dropped connection).
  case retriesExhausted(url: String, attempts: Int, last: String)
  /// The connection failed in a way another attempt does not fix (TLS certificate, an unparsable URL).
  case transport(url: String, reason: String)
  /// Any other refusal: status, S3's error code and message (redacted).
  case service(url: String, status: Int, code: String, message: String)
  /// The task running the request was cancelled (an interrupted run); a multipart upload is left to resume.
  case cancelled(url: String)
  /// The service answered something that is not what S3 answers (unparsable XML, a missing header).
  case unexpectedAnswer(url: String, reason: String)

  package var message: String {
    switch self {
    case .invalidTarget(let text, let reason):
      return "\(text): error: not a storage location: \(reason)"
    case .objectExists(let key, let target, let stored, let local):
      let url = StorageTarget.display(key, under: target)
      return
        "\(url): error: different bytes are already stored under this name (stored sha256 \(stored ?? "unknown"), local \(local)); published objects are never replaced: publish to a new prefix, or find out why this output differs from the one published"
    case .invalidKey(let key, let target, let reason):
      return "\(StorageTarget.display(key, under: target)): error: not an object name: \(reason)"
    case .invalidSettings(let reason):
      return "error: \(reason)"
    case .io(let path, let reason):
      return "\(path): error: \(reason)"
    case .localFileChanged(let path, let expected, let actual):
      return
        "\(path): error: the file changed while it was published (expected sha256 \(expected), read \(actual)); nothing was stored under its name: rebuild the output folder and publish again"
    case .notFound(let url):
      return "\(url): error: no such object"
    case .tooLarge(let url, let size, let maxBytes):
      return "\(url): error: the stored object has \(size) bytes, more than the \(maxBytes) expected"
    case .noCredentials(let tried):
      return
        "error: no AWS credentials found (tried: \(tried.joined(separator: "; "))): set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile in the shared credentials file, or AWS_WEB_IDENTITY_TOKEN_FILE with AWS_ROLE_ARN"
    case .badCredentials(let reason):
      return reason.contains("error:") ? reason : "error: \(reason)"
    case .signatureMismatch(let url, let key):
      return
        "\(url): error: S3 answered 403 SignatureDoesNotMatch: the secret key does not match the access key id \(key) (or a proxy changed the request): check AWS_SECRET_ACCESS_KEY or the profile's aws_secret_access_key"
    case .unknownAccessKey(let url, let key):
      return
        "\(url): error: S3 answered 403 InvalidAccessKeyId: the service does not know the access key id \(key): check the credentials, and --s3-endpoint if this is not AWS"
    case .accessDenied(let url, let action, let key, let detail):
      return
        "\(url): error: S3 answered 403 AccessDenied: the credentials of \(key) lack permission for \(action) on this object or bucket\(detail.isEmpty ? "" : " (\(detail))"): grant it in the bucket or IAM policy"
    case .noSuchBucket(let bucket, let endpoint):
      return
        "s3://\(bucket): error: S3 answered 404 NoSuchBucket at \(endpoint): create the bucket, or check its name and --s3-endpoint"
    case .wrongRegion(let bucket, let used, let actual):
      let hint = actual.map { "it is in \($0): pass --s3-region \($0)" } ?? "pass its region with --s3-region"
      return "s3://\(bucket): error: the bucket is not in region \(used); \(hint)"
    case .badDigest(let url):
      return
        "\(url): error: S3 answered BadDigest: the bytes that arrived do not match their SHA-256, so nothing was stored (corrupted on the way, or the file changed): publish again"
    case .retriesExhausted(let url, let attempts, let last):
      return "\(url): error: gave up after \(attempts) attempts (last: \(last)): rerun to resume"
    case .transport(let url, let reason):
      return "\(url): error: \(reason)"
    case .service(let url, let status, let code, let message):
      let what = code.isEmpty ? "HTTP \(status)" : "\(status) \(code)"
      return "\(url): error: S3 answered \(what)\(message.isEmpty ? "" : ": \(message)")"
    case .cancelled(let url):
      return "\(url): error: interrupted: rerun to resume"
    case .unexpectedAnswer(let url, let reason):
      return "\(url): error: not an S3 answer: \(reason)"
    }
  }

  /// The process exit code (README, Exit codes).
  package var exitStatus: Int32 {
    switch self {
    case .invalidTarget, .invalidKey, .invalidSettings, .noCredentials, .badCredentials, .signatureMismatch,
      .unknownAccessKey, .accessDenied, .noSuchBucket, .wrongRegion:
      return ExitStatus.usage
    case .objectExists: return ExitStatus.objectExists
    case .io, .localFileChanged: return ExitStatus.ioError
    // As `verify` reports a missing or changed file: the stored output does not match what it should be.
    case .notFound, .tooLarge: return ExitStatus.invalidInput
    case .badDigest, .retriesExhausted, .transport, .unexpectedAnswer, .cancelled: return ExitStatus.fetchIncomplete
    case .service(_, let status, _, _): return status >= 500 ? ExitStatus.fetchIncomplete : ExitStatus.usage
    }
  }
}

extension StorageTarget {
  /// `key` under a target given as its description.
  static func display(_ key: String, under target: String) -> String {
    target.hasSuffix("/") ? target + key : target + "/" + key
  }
}
