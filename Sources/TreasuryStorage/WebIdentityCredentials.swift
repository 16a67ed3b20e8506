import Foundation
import Synchronization
import TreasuryHTTP

/// Temporary credentials from STS `AssumeRoleWithWebIdentity`, exchanged for the token in a file and renewed
/// five minutes before they expire (a long publish outlives the hour they last).
///
/// The token file is read again for each exchange: Kubernetes rotates it. The request is not signed (the token
/// is the proof), as AWS's SDKs send it.
package final class WebIdentityCredentials: Sendable {
  package let tokenFile: String
  package let roleARN: String
  package let sessionName: String
  /// STS's URL: `AWS_ENDPOINT_URL_STS`, else `https://sts.<region>.amazonaws.com`.
  package let endpoint: String
  let region: String
  private let client: RetryingClient
  private let cached = Mutex<(credentials: AWSCredentials, expires: Date)?>(nil)

  init(
    tokenFile: String, roleARN: String, sessionName: String, endpoint: String, region: String, client: RetryingClient
  ) {
    self.tokenFile = tokenFile
    self.roleARN = roleARN
    self.sessionName = sessionName
    self.endpoint = endpoint
    self.region = region
    self.client = client
  }

  /// Renewed this long before STS's expiry.
  static let margin: Double = 300

  /// Valid credentials: the cached ones, or new ones when those expire within `margin`.
  package func current() async throws(StorageError) -> AWSCredentials {
    if let entry = cached.withLock({ $0 }), entry.expires.timeIntervalSinceNow > Self.margin {
      return entry.credentials
    }
    let fresh = try await assumeRole()
    cached.withLock { $0 = fresh }
    return fresh.credentials
  }

  /// Forgets the cached credentials (S3 answered `ExpiredToken`).
  func expire() { cached.withLock { $0 = nil } }

  private func assumeRole() async throws(StorageError) -> (credentials: AWSCredentials, expires: Date) {
    let token: String
    do {
      token = try String(contentsOfFile: tokenFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    } catch {
      throw .badCredentials(
        "\(tokenFile): error: cannot read the web identity token (AWS_WEB_IDENTITY_TOKEN_FILE): \(error.localizedDescription)"
      )
    }
    guard !token.isEmpty else {
      throw .badCredentials("\(tokenFile): error: the web identity token file (AWS_WEB_IDENTITY_TOKEN_FILE) is empty")
    }
    let form = [
      ("Action", "AssumeRoleWithWebIdentity"), ("Version", "2011-06-15"), ("RoleArn", roleARN),
      ("RoleSessionName", sessionName), ("WebIdentityToken", token),
    ].map { SigV4Signer.encoded($0.0, keepingSlash: false) + "=" + SigV4Signer.encoded($0.1, keepingSlash: false) }
      .joined(separator: "&")
    let url = endpoint.hasSuffix("/") ? endpoint : endpoint + "/"
    let what = "STS AssumeRoleWithWebIdentity at \(endpoint) for \(roleARN)"
    let answer = try await client.send(url: what, maxBytes: 1 << 20) { () throws(StorageError) in
      HTTPRequest(
        method: "POST", url: url,
        headers: [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"), ("Accept", "application/xml")],
        body: Array(form.utf8))
    } retryable: { answer in
      RetryPolicy.isRetryable(status: answer.status) ? "HTTP \(answer.status)" : nil
    }
    let document = S3XML.parse(answer.body)
    guard answer.status == 200 else {
      let error = document?["Error"] ?? document
      let code = error?.value("Code") ?? "HTTP \(answer.status)"
      // STS does not echo the token, but a message is the server's text: keep it short and without the token.
      let message = (error?.value("Message") ?? "").replacingOccurrences(of: token, with: "[token redacted]")
      throw .badCredentials(
        "\(what): error: STS refused: \(code)\(message.isEmpty ? "" : ": \(message.prefix(300))"): check the role's trust policy and the token"
      )
    }
    guard let result = document?["AssumeRoleWithWebIdentityResult"]?["Credentials"],
      let key = result.value("AccessKeyId"), let secret = result.value("SecretAccessKey"),
      let session = result.value("SessionToken"), let expiration = result.value("Expiration"),
      let expires = Retention.date(expiration)
    else {
      throw .unexpectedAnswer(
        url: what, reason: "no Credentials with AccessKeyId, SecretAccessKey, SessionToken and Expiration")
    }
    return (AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: session), expires)
  }
}
