import Foundation
import Testing

@testable import TreasuryStorage

/// The credentials chain: environment, shared credentials file with a profile, web identity through moto's STS;
/// and the errors, which name the file and line but never a value.
struct AWSCredentialChainTests {
  /// An environment with none of the machine's AWS settings: HOME is an empty folder.
  static func clean(_ folder: TestSupport.TemporaryFolder) -> [String: String] {
    ["HOME": folder.file("home"), "PATH": "/usr/bin:/bin"]
  }

  /// Puts one object through a store opened with `environment`; returns the access key id that signed the PUT.
  static func putSignedBy(_ environment: [String: String], server: S3TestServer, prefix: String) async throws -> String
  {
    let store = try await StoreFixture.openS3(server, prefix: prefix, environment: environment)
    #expect(try await StoreFixture.putSmall(store) == .written)
    let puts = try await server.requests().filter { $0.method == "PUT" && $0.path.contains(prefix) }
    return try #require(puts.last).key
  }

  @Test func aProfileOfTheSharedCredentialsFileIsUsed() async throws {
    let server = try #require(S3TestServer.shared)
    let folder = TestSupport.TemporaryFolder()
    let file = folder.write(
      "credentials",
      """
      # the operator's file
      [default]
      aws_access_key_id = AKIADEFAULTNOTTHISONE
      aws_secret_access_key = not-this-one

      [profile publisher]
      AWS_Access_Key_Id=\(server.accessKeyID)
      aws_secret_access_key   =   \(server.secretAccessKey)
      ; a comment
      """)
    var environment = Self.clean(folder)
    environment["AWS_SHARED_CREDENTIALS_FILE"] = file
    environment["AWS_PROFILE"] = "publisher"
    let prefix = "profile-" + UUID().uuidString
    #expect(try await Self.putSignedBy(environment, server: server, prefix: prefix) == server.accessKeyID)
  }

  @Test func theEnvironmentComesBeforeTheFile() throws {
    let folder = TestSupport.TemporaryFolder()
    let file = folder.write("credentials", "[default]\naws_access_key_id = AKIAFILE\naws_secret_access_key = file\n")
    var environment = Self.clean(folder)
    environment["AWS_SHARED_CREDENTIALS_FILE"] = file
    environment["AWS_ACCESS_KEY_ID"] = "AKIAENV"
    environment["AWS_SECRET_ACCESS_KEY"] = "env-secret"
    environment["AWS_SESSION_TOKEN"] = "env-token"
    let http = RetryingClient(policy: .init(), timeout: 5, connections: 1)
    guard
      case .fixed(let credentials) = try AWSCredentialChain(environment: environment).resolve(
        region: "us-east-1", sts: http)
    else {
      Issue.record("not fixed credentials")
      return
    }
    #expect(
      credentials == AWSCredentials(accessKeyID: "AKIAENV", secretAccessKey: "env-secret", sessionToken: "env-token"))
    environment.removeValue(forKey: "AWS_ACCESS_KEY_ID")
    environment.removeValue(forKey: "AWS_SECRET_ACCESS_KEY")
    guard
      case .fixed(let fromFile) = try AWSCredentialChain(environment: environment).resolve(
        region: "us-east-1", sts: http)
    else {
      Issue.record("not fixed credentials")
      return
    }
    #expect(fromFile.accessKeyID == "AKIAFILE")
  }

  @Test(arguments: [
    ("[default]\naws_access_key_id = AKIA\nthe-secret-value-itself\n", 3, "expected `[profile]`"),
    ("aws_access_key_id = AKIA\n", 1, "before any `[profile]`"),
    ("[default\naws_access_key_id = AKIA\n", 1, "no closing ]"),
    ("[default]\naws_access_key_id = AKIA\n", 1, "no aws_secret_access_key"),
    ("[default]\naws_access_key_id =\naws_secret_access_key = hunter2hunter2\n", 2, "empty aws_access_key_id"),
  ])
  func aMalformedFileIsNamedByLineWithoutItsValues(text: String, line: Int, problem: String) throws {
    let folder = TestSupport.TemporaryFolder()
    let file = folder.write("credentials", text)
    var environment = Self.clean(folder)
    environment["AWS_SHARED_CREDENTIALS_FILE"] = file
    let http = RetryingClient(policy: .init(), timeout: 5, connections: 1)
    let error = #expect(throws: StorageError.self) {
      try AWSCredentialChain(environment: environment).resolve(region: "us-east-1", sts: http)
    }
    let message = try #require(error?.message)
    #expect(message.hasPrefix("\(file):\(line): error: "), "\(message)")
    #expect(message.contains(problem), "\(message)")
    for secret in ["the-secret-value-itself", "hunter2hunter2"] { #expect(!message.contains(secret)) }
    #expect(error?.exitStatus == 1)
  }

  @Test func aProfileTheFileLacksIsAnErrorNotASkip() throws {
    let folder = TestSupport.TemporaryFolder()
    let file = folder.write("credentials", "[default]\naws_access_key_id = AKIA\naws_secret_access_key = s\n")
    var environment = Self.clean(folder)
    environment["AWS_SHARED_CREDENTIALS_FILE"] = file
    environment["AWS_PROFILE"] = "auditor"
    let error = #expect(throws: StorageError.self) {
      try AWSCredentialChain(environment: environment).resolve(
        region: "us-east-1", sts: RetryingClient(policy: .init(), timeout: 5, connections: 1))
    }
    #expect(error?.message.contains("profile 'auditor'") == true)
  }

  @Test func nothingFoundListsWhatWasTried() async throws {
    let folder = TestSupport.TemporaryFolder()
    let error = await #expect(throws: StorageError.self) {
      _ = try await openStore(.s3(bucket: "statements", prefix: ""), environment: Self.clean(folder))
    }
    let message = try #require(error?.message)
    #expect(message.contains("AWS_ACCESS_KEY_ID"))
    #expect(message.contains(folder.file("home") + "/.aws/credentials (no such file)"))
    #expect(message.contains("AWS_WEB_IDENTITY_TOKEN_FILE"))
    #expect(error?.exitStatus == 1)
  }

  @Test func aWebIdentityIsExchangedWithSTSForTemporaryCredentials() async throws {
    let server = try #require(S3TestServer.shared)
    let role = try server.boto3(
      """
      trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
          "Principal": {"Federated": "arn:aws:iam::123456789012:oidc-provider/kubernetes"},
          "Action": "sts:AssumeRoleWithWebIdentity"}]}
      arn = iam.create_role(RoleName="publisher", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
      policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
      iam.put_role_policy(RoleName="publisher", PolicyName="s3", PolicyDocument=json.dumps(policy))
      print(arn)
      """
    ).trimmingCharacters(in: .whitespacesAndNewlines)
    let folder = TestSupport.TemporaryFolder()
    let token = folder.write("token", "eyJhbGciOiJSUzI1NiJ9.service-account-token.signature\n")
    var environment = Self.clean(folder)
    environment["AWS_WEB_IDENTITY_TOKEN_FILE"] = token
    environment["AWS_ROLE_ARN"] = role
    environment["AWS_ROLE_SESSION_NAME"] = "publish-test"
    environment["AWS_ENDPOINT_URL_STS"] = server.endpoint
    let key = try await Self.putSignedBy(environment, server: server, prefix: "web-identity-" + UUID().uuidString)
    // STS's temporary keys start with ASIA; the signature was made with one, not with the IAM user's key.
    #expect(key.hasPrefix("ASIA"), "\(key)")
    #expect(key != server.accessKeyID)
  }

  @Test func anUnreadableTokenIsNamed() async throws {
    let folder = TestSupport.TemporaryFolder()
    var environment = Self.clean(folder)
    environment["AWS_WEB_IDENTITY_TOKEN_FILE"] = folder.file("missing-token")
    environment["AWS_ROLE_ARN"] = "arn:aws:iam::123456789012:role/publisher"
    environment["AWS_ENDPOINT_URL_STS"] = "http://127.0.0.1:9"
    let store = try await openStore(.s3(bucket: "statements", prefix: ""), environment: environment)
    let error = await #expect(throws: StorageError.self) { _ = try await store.head("a.csv") }
    #expect(
      error?.message.hasPrefix(folder.file("missing-token") + ": error: cannot read the web identity token") == true)
  }

  @Test func theRegionComesFromTheFlagThenTheEnvironment() {
    #expect(AWSCredentialChain(environment: [:]).region(flag: nil) == "us-east-1")
    #expect(AWSCredentialChain(environment: ["AWS_DEFAULT_REGION": "eu-west-2"]).region(flag: nil) == "eu-west-2")
    #expect(
      AWSCredentialChain(environment: ["AWS_DEFAULT_REGION": "eu-west-2", "AWS_REGION": "eu-west-1"]).region(flag: nil)
        == "eu-west-1")
    #expect(AWSCredentialChain(environment: ["AWS_REGION": "eu-west-1"]).region(flag: "ap-south-1") == "ap-south-1")
  }
}

extension AWSCredentialChainTests {
  @Test func temporaryCredentialsAreKeptUntilCloseToExpiryThenRenewed() async throws {
    // Its own server: the STS calls are counted, and another test's would count too.
    let server = try S3TestServer.own()
    let folder = TestSupport.TemporaryFolder()
    let token = folder.write("token", "token-for-renewal")
    let http = RetryingClient(policy: .init(maxAttempts: 2, baseDelay: 0.01), timeout: 30, connections: 1)
    let identity = WebIdentityCredentials(
      tokenFile: token, roleARN: "arn:aws:iam::123456789012:role/renewal", sessionName: "renewal",
      endpoint: server.endpoint, region: server.region, client: http)
    let stsCalls = { try await server.requests().filter { $0.method == "POST" && $0.path == "/" }.count }
    let before = try await stsCalls()
    let first = try await identity.current()
    let again = try await identity.current()
    #expect(first == again)
    #expect(try await stsCalls() == before + 1, "a second call within the hour went to STS again")
    // What S3's ExpiredToken does: the next call fetches new ones.
    identity.expire()
    let renewed = try await identity.current()
    #expect(renewed.accessKeyID != first.accessKeyID)
    #expect(try await stsCalls() == before + 2)
  }
}
