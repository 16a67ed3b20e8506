import Foundation

/// Finds AWS credentials the way AWS's own tools do, in this order, and the region to use.
///
/// 1. The environment: `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` (with `AWS_SESSION_TOKEN` for temporary
///    credentials).
/// 2. The shared credentials file: `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`; profile
///    `AWS_PROFILE`, else `default`. A profile named by `AWS_PROFILE` that the file lacks is an error, not a skip.
/// 3. Web identity (Kubernetes service accounts, GitHub OIDC): `AWS_WEB_IDENTITY_TOKEN_FILE` and `AWS_ROLE_ARN`
///    (with `AWS_ROLE_SESSION_NAME`) exchanged with STS `AssumeRoleWithWebIdentity` for temporary credentials,
///    renewed before they expire.
///
/// Nothing found throws `.noCredentials` listing what was looked at. Secrets are read from the environment and
/// files only: never from arguments.
package struct AWSCredentialChain: Sendable {
  package var environment: [String: String]

  package init(environment: [String: String]) { self.environment = environment }

  /// The region: the flag's, else `AWS_REGION`, else `AWS_DEFAULT_REGION`, else `us-east-1`.
  package func region(flag: String?) -> String {
    for candidate in [flag, environment["AWS_REGION"], environment["AWS_DEFAULT_REGION"]] {
      if let candidate, !candidate.isEmpty { return candidate }
    }
    return "us-east-1"
  }

  /// The first source in the chain that has credentials. `sts` exchanges a web identity token (the chain does
  /// not send anything itself until a web identity is the source).
  package func resolve(region: String, sts: RetryingClient) throws(StorageError) -> AWSCredentialSource {
    var tried: [String] = []
    let key = environment["AWS_ACCESS_KEY_ID"] ?? ""
    let secret = environment["AWS_SECRET_ACCESS_KEY"] ?? ""
    if !key.isEmpty || !secret.isEmpty {
      guard !key.isEmpty, !secret.isEmpty else {
        throw .badCredentials(
          "error: \(key.isEmpty ? "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not" : "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")"
        )
      }
      let token = environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
      return .fixed(AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: token))
    }
    tried.append("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (not set)")

    let explicitProfile = environment["AWS_PROFILE"].flatMap { $0.isEmpty ? nil : $0 }
    let profile = explicitProfile ?? "default"
    if let path = credentialsFilePath {
      if let file = try SharedCredentialsFile(path: path) {
        if let credentials = try file.credentials(profile: profile) { return .fixed(credentials) }
        if explicitProfile != nil {
          throw .badCredentials(
            "\(path): error: AWS_PROFILE names profile '\(profile)', which this file does not have (with an aws_access_key_id)"
          )
        }
        tried.append("\(path) (no profile '\(profile)')")
      } else {
        tried.append("\(path) (no such file)")
      }
    } else {
      tried.append("~/.aws/credentials (HOME is not set)")
    }

    let tokenFile = environment["AWS_WEB_IDENTITY_TOKEN_FILE"] ?? ""
    let role = environment["AWS_ROLE_ARN"] ?? ""
    if !tokenFile.isEmpty || !role.isEmpty {
      guard !tokenFile.isEmpty, !role.isEmpty else {
        throw .badCredentials(
          "error: web identity needs both AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN; only \(tokenFile.isEmpty ? "AWS_ROLE_ARN" : "AWS_WEB_IDENTITY_TOKEN_FILE") is set"
        )
      }
      let endpoint = environment["AWS_ENDPOINT_URL_STS"].flatMap { $0.isEmpty ? nil : $0 }
      let session = environment["AWS_ROLE_SESSION_NAME"].flatMap { $0.isEmpty ? nil : $0 }
      return .webIdentity(
        WebIdentityCredentials(
          tokenFile: tokenFile, roleARN: role,
          sessionName: session ?? "treasury-report-\(Int(Date().timeIntervalSince1970))",
          endpoint: endpoint ?? "https://sts.\(region).amazonaws.com", region: region, client: sts))
    }
    tried.append("AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN (not set)")
    throw .noCredentials(tried: tried)
  }

  /// `AWS_SHARED_CREDENTIALS_FILE`, else `$HOME/.aws/credentials`.
  private var credentialsFilePath: String? {
    if let path = environment["AWS_SHARED_CREDENTIALS_FILE"], !path.isEmpty {
      return path.hasPrefix("~/") ? (environment["HOME"] ?? "~") + path.dropFirst() : path
    }
    guard let home = environment["HOME"], !home.isEmpty else { return nil }
    return home + "/.aws/credentials"
  }
}

/// Where a store's credentials come from: fixed ones, or a web identity renewed before it expires.
package enum AWSCredentialSource: Sendable {
  case fixed(AWSCredentials)
  case webIdentity(WebIdentityCredentials)

  /// Credentials good for at least the next few minutes.
  package func current() async throws(StorageError) -> AWSCredentials {
    switch self {
    case .fixed(let credentials): return credentials
    case .webIdentity(let source): return try await source.current()
    }
  }

  /// Forgets temporary credentials the service called expired, so that `current` fetches new ones.
  package func expire() {
    if case .webIdentity(let source) = self { source.expire() }
  }
}
