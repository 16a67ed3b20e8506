import Foundation
import Testing
import TreasuryHTTP

@testable import TreasuryStorage

/// What only S3 does, against moto's server with signature checking on: checksums refused, credentials and
/// permissions named, Object Lock, server-side encryption.
struct S3StoreTests {
  @Test func aBodyThatDoesNotMatchItsChecksumIsRefusedWithBadDigest() async throws {
    let fixture = try await StoreFixture(.s3)
    let local = fixture.file("summary.csv", Array("the bytes on disk\n".utf8))
    let claimed = StoreFixture.sha256(Array("the bytes the manifest lists\n".utf8))
    let error = await #expect(throws: StorageError.self) {
      try await fixture.store.put(
        "2026-03/summary.csv", file: local.path, size: local.size, sha256: claimed, options: PutOptions())
    }
    let url = fixture.store.target.display("2026-03/summary.csv")
    #expect(error == .badDigest(url: url))
    #expect(error?.message.contains("BadDigest") == true)
    #expect(error?.exitStatus == 5)
    // It reached the server, which refused it: nothing is stored.
    let sent = try await fixture.server!.requests().filter { $0.method == "PUT" && $0.path.contains(fixture.prefix) }
    #expect(sent.count == 1)
    #expect(try await fixture.store.head("2026-03/summary.csv") == nil)
  }

  @Test func aWrongSecretIsNamedSignatureDoesNotMatchWithoutTheSecret() async throws {
    let server = try #require(S3TestServer.shared)
    let wrong = "wRoNgSeCrEt/" + String(server.secretAccessKey.dropFirst(12))
    var environment = server.environment
    environment["AWS_SECRET_ACCESS_KEY"] = wrong
    let store = try await StoreFixture.openS3(server, prefix: "wrong-secret", environment: environment)
    let error = await #expect(throws: StorageError.self) { try await StoreFixture.putSmall(store) }
    #expect(error == .signatureMismatch(url: "s3://treasury-tests/wrong-secret/a.csv", accessKeyID: server.accessKeyID))
    let message = try #require(error?.message)
    #expect(message.contains("SignatureDoesNotMatch"))
    #expect(message.contains("secret key does not match the access key id \(server.accessKeyID)"))
    #expect(!message.contains(wrong) && !message.contains(server.secretAccessKey))
    #expect(error?.exitStatus == 1)
  }

  @Test func aUserWithoutPutObjectIsToldWhichPermissionIsMissing() async throws {
    let server = try #require(S3TestServer.shared)
    let keys = try server.boto3(
      """
      iam.create_user(UserName="reader")
      policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
          "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": "*"}]}
      iam.put_user_policy(UserName="reader", PolicyName="read", PolicyDocument=json.dumps(policy))
      key = iam.create_access_key(UserName="reader")["AccessKey"]
      print(key["AccessKeyId"], key["SecretAccessKey"])
      """
    ).split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
    var environment = server.environment
    environment["AWS_ACCESS_KEY_ID"] = keys[0]
    environment["AWS_SECRET_ACCESS_KEY"] = keys[1]
    let store = try await StoreFixture.openS3(server, prefix: "read-only", environment: environment)
    let error = await #expect(throws: StorageError.self) { try await StoreFixture.putSmall(store) }
    guard case .accessDenied(let url, let action, let key, _) = error else {
      Issue.record("expected AccessDenied, got \(String(describing: error))")
      return
    }
    #expect(url == "s3://treasury-tests/read-only/a.csv")
    #expect(action == "s3:PutObject")
    #expect(key == keys[0])
    #expect(error?.message.contains("lack permission for s3:PutObject") == true)
    #expect(error?.message.contains(keys[1]) == false)
  }

  @Test func aMissingBucketIsNamed() async throws {
    let server = try #require(S3TestServer.shared)
    let store = try await StoreFixture.openS3(server, prefix: "", bucket: "no-such-bucket-here")
    let error = await #expect(throws: StorageError.self) { try await StoreFixture.putSmall(store) }
    #expect(error == .noSuchBucket(bucket: "no-such-bucket-here", endpoint: server.endpoint))
    #expect(error?.message.contains("NoSuchBucket") == true)
  }

  @Test func objectLockComplianceIsVisibleAndADeleteOfTheLockedVersionIsRefused() async throws {
    let fixture = try await StoreFixture(.s3, bucket: S3TestServer.lockedBucket)
    let until = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 + 2 * 86_400).rounded(.down))
    let retention = Retention(mode: .compliance, until: until)
    #expect(
      try await fixture.put("2026-03/summary.csv", Array("locked\n".utf8), options: PutOptions(retention: retention))
        == .written)
    let head = try #require(try await fixture.store.head("2026-03/summary.csv"))
    #expect(head.retention == retention)
    let outcome = try fixture.server!.boto3(
      """
      bucket, key = sys.argv[1], sys.argv[2]
      version = s3.head_object(Bucket=bucket, Key=key)["VersionId"]
      try:
          s3.delete_object(Bucket=bucket, Key=key, VersionId=version)
          print("deleted")
      except s3.exceptions.ClientError as error:
          print(error.response["ResponseMetadata"]["HTTPStatusCode"], error.response["Error"]["Code"])
      """, [S3TestServer.lockedBucket, fixture.prefix + "/2026-03/summary.csv"])
    #expect(outcome.trimmingCharacters(in: .whitespacesAndNewlines) == "403 AccessDenied")
    #expect(try await fixture.stored("2026-03/summary.csv") == Array("locked\n".utf8))
  }

  @Test(arguments: [PutOptions.Encryption.aes256, .kms(keyID: "alias/statements")])
  func serverSideEncryptionIsRequested(_ encryption: PutOptions.Encryption) async throws {
    let fixture = try await StoreFixture(.s3)
    try await fixture.put("2026-03/summary.csv", Array("encrypted\n".utf8), options: PutOptions(encryption: encryption))
    let answer = try fixture.server!.boto3(
      """
      head = s3.head_object(Bucket=sys.argv[1], Key=sys.argv[2])
      print(head.get("ServerSideEncryption"), head.get("SSEKMSKeyId"))
      """, [S3TestServer.bucket, fixture.prefix + "/2026-03/summary.csv"])
    switch encryption {
    case .aes256: #expect(answer.hasPrefix("AES256 "))
    case .kms: #expect(answer.contains("aws:kms") && answer.contains("alias/statements"))
    }
  }

  @Test func anObjectWrittenByAnotherToolIsComparedByItsBytes() async throws {
    let fixture = try await StoreFixture(.s3)
    let key = fixture.prefix + "/2026-03/summary.csv"
    _ = try fixture.server!.boto3(
      "s3.put_object(Bucket=sys.argv[1], Key=sys.argv[2], Body=b'same bytes\\n')", [S3TestServer.bucket, key])
    #expect(try await fixture.store.head("2026-03/summary.csv")?.sha256 == nil)
    #expect(try await fixture.put("2026-03/summary.csv", Array("same bytes\n".utf8)) == .unchanged)
    await #expect(throws: StorageError.self) {
      try await fixture.put("2026-03/summary.csv", Array("other bytes\n".utf8))
    }
  }

  /// Another writer puts the same bytes between this store's HEAD and its PUT: S3 refuses the PUT
  /// (`If-None-Match: *`, 412), the store looks again and reports `.unchanged`; nothing is replaced.
  @Test func aWriteThatLosesARaceLooksAgainInsteadOfReplacing() async throws {
    let server = try S3TestServer.own()
    // Every answer waits 2 s, so the other writer's PUT lands after this store's HEAD and before its PUT.
    try await server.faults(delay: 2)
    let key = "race/2026-03/a.csv"
    let other = Task.detached {
      try server.boto3(
        """
        import time, urllib.request
        deadline = time.time() + 60
        while not any(r["method"] == "HEAD" and r["path"].endswith(sys.argv[2])
                      for r in json.load(urllib.request.urlopen(ENDPOINT + "/__requests"))):
            assert time.time() < deadline, "the store sent no HEAD"
            time.sleep(0.05)
        time.sleep(0.3)
        s3.put_object(Bucket=sys.argv[1], Key=sys.argv[2], Body=b"a\\n")
        """, [S3TestServer.bucket, key])
    }
    let store = try await StoreFixture.openS3(server, prefix: "race/2026-03")
    #expect(try await StoreFixture.putSmall(store) == .unchanged)
    _ = try await other.value
    let sent = try await server.requests().filter { $0.path.hasSuffix(key) }.map(\.method)
    // This store's HEAD, the other PUT, this PUT (refused), HEAD, and a GET to hash what boto3 wrote (it has no
    // x-amz-meta-sha256).
    #expect(sent == ["HEAD", "PUT", "PUT", "HEAD", "GET"])
  }

  /// AWS refuses a request signed for another region than the bucket's and names the right one: the store
  /// follows it once and keeps it (moto has no bucket regions; s3_server.py's `NAME@REGION` buckets answer as AWS).
  @Test func aBucketInAnotherRegionIsFollowedOnce() async throws {
    let server = try S3TestServer(buckets: ["treasury-eu@eu-west-1"])
    var settings = StoreFixture.settings(server)
    settings.region = "us-east-1"
    let store = try await openStore(
      .s3(bucket: "treasury-eu", prefix: "2026-03"), settings: settings, environment: server.environment)
    #expect(try await StoreFixture.putSmall(store) == .written)
    #expect(try await store.head("a.csv")?.size == 2)
    #expect(try await store.list(under: "").map(\.key) == ["a.csv"])
    let refused = try await server.requests().filter { $0.fault == "wrong-region" }
    #expect(refused.map(\.method) == ["HEAD"], "only the first request went to the wrong region")
  }
}
