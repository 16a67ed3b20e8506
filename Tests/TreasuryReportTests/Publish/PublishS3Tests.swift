import Foundation
import Testing

/// `publish` to moto's S3 server (signatures checked, Object Lock enforced) and `verify s3://…`, end to end
/// through the built binary; storage is inspected and tampered with through boto3, never through the tool.
@Suite(.serialized, .enabled(if: ExternalTool.available(ExternalTool.venvPython)))
struct PublishS3Tests {
  /// The shared server, and a fresh prefix in its plain bucket.
  private static func shared() throws -> (S3TestServer, String) {
    let server = try #require(S3TestServer.shared, "moto's S3 server did not start: run `make test-venv`")
    return (server, "s3://\(S3TestServer.bucket)/publish-\(UUID().uuidString.prefix(8).lowercased())")
  }

  private static func flags(_ server: S3TestServer) -> [String] {
    ["--s3-endpoint", server.endpoint, "--s3-path-style"]
  }

  private static func publish(
    _ server: S3TestServer, _ source: String, _ url: String, _ extra: [String] = []
  ) throws -> TestSupport.Run {
    try PublishSupport.publish(source, to: url, flags(server) + extra, environment: server.environment)
  }

  private static func verify(_ server: S3TestServer, _ url: String) throws -> TestSupport.Run {
    try PublishSupport.verify(url, flags(server), environment: server.environment)
  }

  /// Every object under the URL's prefix as "key size etag", through boto3.
  private static func listing(_ server: S3TestServer, _ url: String) throws -> [String] {
    let (bucket, prefix) = split(url)
    let text = try server.boto3(
      """
      pages = s3.get_paginator("list_objects_v2").paginate(Bucket=sys.argv[1], Prefix=sys.argv[2] + "/")
      for page in pages:
          for o in page.get("Contents", []):
              print(o["Key"][len(sys.argv[2]) + 1:], o["Size"], o["ETag"])
      """, [bucket, prefix])
    return text.split(separator: "\n").map(String.init)
  }

  /// `expression` (Python, over `h`, boto3's head_object answer) for every object under the URL's prefix.
  private static func heads(_ server: S3TestServer, _ url: String, _ expression: String) throws -> [String] {
    let (bucket, prefix) = split(url)
    let text = try server.boto3(
      """
      pages = s3.get_paginator("list_objects_v2").paginate(Bucket=sys.argv[1], Prefix=sys.argv[2] + "/")
      for page in pages:
          for o in page.get("Contents", []):
              h = s3.head_object(Bucket=sys.argv[1], Key=o["Key"])
              print(\(expression))
      """, [bucket, prefix])
    return text.split(separator: "\n").map(String.init)
  }

  private static func split(_ url: String) -> (bucket: String, prefix: String) {
    let rest = url.dropFirst("s3://".count)
    let bucket = rest.prefix { $0 != "/" }
    return (String(bucket), String(rest.dropFirst(bucket.count + 1)))
  }

  /// PUT and POST requests (writes) the server received under the URL's prefix since `start` requests.
  private static func writes(_ server: S3TestServer, _ url: String, since start: Int) async throws -> [String] {
    let (bucket, prefix) = split(url)
    return try await server.requests().dropFirst(start).filter {
      ($0.method == "PUT" || $0.method == "POST") && $0.path.hasPrefix("/\(bucket)/\(prefix)/")
    }.map { "\($0.method) \($0.path)" }
  }

  @Test func publishThenVerifyThenARerunWritesNothing() async throws {
    let (server, url) = try Self.shared()
    let folder = TestSupport.TemporaryFolder()
    let out = try PublishSupport.statements(PublishSupport.dump(folder), folder.file("out"))
    let run = try Self.publish(server, out, url)
    #expect(run.status == 0, "\(run.stderr)")
    let files = TestSupport.tree(out)
    #expect(PublishSupport.written(run) == files.count, "\(run.stderr)")
    let keys = try Self.listing(server, url).map { String($0.split(separator: " ")[0]) }
    #expect(keys.count == files.count)
    #expect(keys.contains("2026-02/2026-02.tar.gz"), "\(keys)")
    #expect(keys.contains { $0.hasPrefix("runs/2026-01_2026-03_") && $0.hasSuffix("/manifest.json") })
    // Content types a browser and the S3 console understand.
    let (bucket, prefix) = Self.split(url)
    let types = try server.boto3(
      """
      for key in sys.argv[3:]:
          print(s3.head_object(Bucket=sys.argv[1], Key=sys.argv[2] + "/" + key)["ContentType"])
      """, [bucket, prefix, "2026-02/2026-02.tar.gz", try #require(keys.first { $0.hasSuffix("/summary.csv") })])
    #expect(types == "application/gzip\ntext/csv; charset=utf-8\n", "\(types)")

    let verified = try Self.verify(server, url)
    #expect(verified.status == 0, "\(verified.stderr)")
    #expect(verified.stdout.contains("verified \(url) (1 publication"), "\(verified.stdout)")

    let before = try Self.listing(server, url)
    let start = try await server.requests().count
    let again = try Self.publish(server, out, url)
    #expect(again.status == 0, "\(again.stderr)")
    #expect(PublishSupport.written(again) == 0, "\(again.stderr)")
    #expect(try await Self.writes(server, url, since: start).isEmpty)
    #expect(try Self.listing(server, url) == before)
  }

  @Test func changedLocalOutputIsRefusedAndStorageIsUnchanged() async throws {
    let (server, url) = try Self.shared()
    let folder = TestSupport.TemporaryFolder()
    let dump = try PublishSupport.dump(folder)
    let out = try PublishSupport.statements(dump, folder.file("out"))
    #expect(try Self.publish(server, out, url).status == 0)
    let before = try Self.listing(server, url)
    let start = try await server.requests().count

    // Another output of the same months (another zone): it verifies, and its files differ from the stored ones.
    let tokyo = try PublishSupport.statements(dump, folder.file("tokyo"), ["--tz", "Asia/Tokyo"])
    let refused = try Self.publish(server, tokyo, url)
    #expect(refused.status == 8, "\(refused.stderr)")
    #expect(refused.stderr.contains("\(url)/2026-01/2026-01.tar.gz: error: different bytes are already stored"))
    let named = refused.stderr.split(separator: "\n").filter { $0.contains("different bytes are already stored") }
    #expect(named.count > 3, "every conflicting object is named: \(refused.stderr)")

    // One byte changed in the published folder: it no longer matches its manifest.
    let summary = out + "/summary.csv"
    var bytes = try #require(FileManager.default.contents(atPath: summary))
    bytes[bytes.count - 3] ^= 0x01
    try bytes.write(to: URL(fileURLWithPath: summary))
    let corrupt = try Self.publish(server, out, url)
    #expect(corrupt.status == 2, "\(corrupt.stderr)")
    #expect(corrupt.stderr.contains("\(summary): error: has changed"), "\(corrupt.stderr)")

    #expect(try await Self.writes(server, url, since: start).isEmpty)
    #expect(try Self.listing(server, url) == before)
  }

  @Test func aTamperedObjectIsNamedByVerify() throws {
    let (server, url) = try Self.shared()
    let folder = TestSupport.TemporaryFolder()
    let out = try PublishSupport.statements(PublishSupport.dump(folder), folder.file("out"))
    #expect(try Self.publish(server, out, url).status == 0)
    let keys = try Self.listing(server, url).map { String($0.split(separator: " ")[0]) }
    let key = try #require(keys.first { $0.hasPrefix("2026-03/fa_") && $0.hasSuffix("/transactions.csv") })
    let (bucket, prefix) = Self.split(url)
    // Overwritten by another client, one character changed.
    _ = try server.boto3(
      """
      key = sys.argv[2] + "/" + sys.argv[3]
      body = s3.get_object(Bucket=sys.argv[1], Key=key)["Body"].read()
      s3.put_object(Bucket=sys.argv[1], Key=key, Body=body[:-3] + (b"1" if body[-3:-2] != b"1" else b"2") + body[-2:])
      """, [bucket, prefix, key])
    let run = try Self.verify(server, url)
    #expect(run.status == 2, "\(run.stderr)")
    #expect(run.stderr.contains("\(url)/\(key): error: has changed"), "\(run.stderr)")
    #expect(run.stderr.contains("\(url)/2026-03/2026-03.tar.gz(\(key)): error: differs from \(url)/\(key)"))
  }

  @Test func retentionLocksEveryObjectAndALockedVersionCannotBeDeleted() throws {
    let server = try #require(S3TestServer.shared)
    let url = "s3://\(S3TestServer.lockedBucket)/publish-\(UUID().uuidString.prefix(8).lowercased())"
    let folder = TestSupport.TemporaryFolder()
    let out = try PublishSupport.statements(PublishSupport.dump(folder), folder.file("out"), ["--period", "2026-01"])
    let run = try Self.publish(server, out, url, ["--retain-until", "2040-01-01", "--lock-mode", "compliance"])
    #expect(run.status == 0, "\(run.stderr)")
    let (bucket, prefix) = Self.split(url)
    let locks = try Self.heads(
      server, url, #"h.get("ObjectLockMode") + " " + h["ObjectLockRetainUntilDate"].strftime("%Y-%m-%dT%H:%M:%S")"#)
    #expect(locks.count == TestSupport.tree(out).count)
    #expect(locks.allSatisfy { $0 == "COMPLIANCE 2040-01-01T00:00:00" }, "\(locks)")
    let delete = try server.boto3(
      """
      import botocore
      key = sys.argv[2] + "/2026-01/2026-01.tar.gz"
      version = s3.head_object(Bucket=sys.argv[1], Key=key)["VersionId"]
      try:
          s3.delete_object(Bucket=sys.argv[1], Key=key, VersionId=version)
          print("deleted")
      except botocore.exceptions.ClientError as e:
          print("refused", e.response["Error"]["Code"])
      """, [bucket, prefix])
    #expect(delete.hasPrefix("refused"), "\(delete)")
    #expect(try Self.verify(server, url).status == 0)

    // --retain-years counts from now, in governance mode.
    let years = "s3://\(S3TestServer.lockedBucket)/publish-\(UUID().uuidString.prefix(8).lowercased())"
    #expect(try Self.publish(server, out, years, ["--retain-years", "7", "--lock-mode", "governance"]).status == 0)
    let mode = try server.boto3(
      """
      import datetime
      h = s3.head_object(Bucket=sys.argv[1], Key=sys.argv[2] + "/2026-01/2026-01.tar.gz")
      days = (h["ObjectLockRetainUntilDate"] - datetime.datetime.now(datetime.timezone.utc)).days
      print(h["ObjectLockMode"], 7 * 365 <= days <= 7 * 366 + 1)
      """, [bucket, String(Self.split(years).prefix)])
    #expect(mode == "GOVERNANCE True\n", "\(mode)")
  }

  @Test func aWrongSecretIsNamedAndNeverShown() throws {
    let (server, url) = try Self.shared()
    let folder = TestSupport.TemporaryFolder()
    let out = try PublishSupport.statements(PublishSupport.dump(folder), folder.file("out"), ["--period", "2026-01"])
    var environment = server.environment
    let wrong = "wR0ngSecretKeyForTheTests/abcdefghijklmnopqrstu"
    environment["AWS_SECRET_ACCESS_KEY"] = wrong
    let run = try PublishSupport.publish(out, to: url, Self.flags(server), environment: environment)
    #expect(run.status == 1, "\(run.stderr)")
    #expect(run.stderr.contains("SignatureDoesNotMatch"), "\(run.stderr)")
    #expect(!run.stderr.contains(wrong) && !run.stdout.contains(wrong))
    #expect(!run.stderr.contains(server.secretAccessKey))
    let verify = try PublishSupport.verify(url, Self.flags(server), environment: environment)
    #expect(verify.status == 1, "\(verify.stderr)")
    #expect(verify.stderr.contains("SignatureDoesNotMatch") && !verify.stderr.contains(wrong), "\(verify.stderr)")
    #expect(try Self.listing(server, url).isEmpty)
  }

  @Test func intermittentSlowDownStillPublishesAndVerifies() async throws {
    let server = try S3TestServer(buckets: [S3TestServer.bucket])
    let url = "s3://\(S3TestServer.bucket)/slow"
    let folder = TestSupport.TemporaryFolder()
    let out = try PublishSupport.statements(PublishSupport.dump(folder), folder.file("out"))
    try await server.faults(slowdownEvery: 3)
    let run = try Self.publish(server, out, url)
    #expect(run.status == 0, "\(run.stderr)")
    let verified = try Self.verify(server, url)
    #expect(verified.status == 0, "\(verified.stderr)")
    let faults = try await server.requests().filter { $0.fault == "slowdown" }
    #expect(faults.count > 5, "the server answered SlowDown \(faults.count) times")
  }

  @Test func killedInTheMiddleOfAMultipartUploadARerunCompletesIt() async throws {
    let server = try S3TestServer(buckets: [S3TestServer.bucket])
    let url = "s3://\(S3TestServer.bucket)/big"
    let folder = TestSupport.TemporaryFolder()
    let (out, relative) = try PublishSupport.folderWithBigFile(folder, megabytes: 60)
    // Slow answers, so that the upload of 12 parts of 5 MiB is still running when the tool is killed.
    try await server.faults(delay: 0.3)
    let binary = TestSupport.binaries.appendingPathComponent("treasury-report").path
    let environment = server.environment.map { "\($0.key)=\($0.value)" }
    let publish = try RunningProcess(
      "/usr/bin/env",
      ["-i"] + environment + [binary, "publish", out, "--to", url, "--part-size", "5", "--s3-concurrency", "2"]
        + Self.flags(server), cwd: folder.path)
    // Two parts stored: the upload is under way.
    let (bucket, prefix) = Self.split(url)
    let waited = try server.boto3(
      """
      import time
      deadline = time.time() + 120
      while time.time() < deadline:
          for u in s3.list_multipart_uploads(Bucket=sys.argv[1], Prefix=sys.argv[2] + "/").get("Uploads", []):
              parts = s3.list_parts(Bucket=sys.argv[1], Key=u["Key"], UploadId=u["UploadId"]).get("Parts", [])
              if len(parts) >= 2:
                  print("parts", len(parts))
                  sys.exit(0)
          time.sleep(0.1)
      print("timeout")
      """, [bucket, prefix])
    #expect(waited.hasPrefix("parts"), "\(waited) \(publish.stderr)")
    publish.signal(SIGKILL)
    #expect(publish.wait()?.signalled == true)
    try await server.faults()
    let dangling = try server.boto3(
      "print(len(s3.list_multipart_uploads(Bucket=sys.argv[1]).get('Uploads', [])))", [bucket])
    #expect(dangling == "1\n", "the killed run left its upload: \(dangling)")

    let before = try await server.requests().count
    let rerun = try Self.publish(server, out, url, ["--part-size", "5"])
    #expect(rerun.status == 0, "\(rerun.stderr)")
    // The upload was resumed: the parts stored before the kill were not sent again (12 parts in all).
    let parts = try await server.requests().dropFirst(before).filter {
      $0.method == "PUT" && $0.query.contains("partNumber=")
    }
    #expect(parts.count <= 10, "\(parts.count) parts sent by the rerun")
    let left = try server.boto3(
      "print(len(s3.list_multipart_uploads(Bucket=sys.argv[1]).get('Uploads', [])))", [bucket])
    #expect(left == "0\n", "ListMultipartUploads after the rerun: \(left)")
    let stored = try Self.listing(server, url).first { $0.hasPrefix(relative + " ") }
    #expect(stored?.contains(" \(60 << 20) ") == true, "\(String(describing: stored))")
    let verified = try Self.verify(server, url)
    #expect(verified.status == 0, "\(verified.stderr)")
  }

  @Test func anUploadNoRunResumesIsAbortedByTheNextPublish() throws {
    let (server, url) = try Self.shared()
    let (bucket, prefix) = Self.split(url)
    _ = try server.boto3(
      "s3.create_multipart_upload(Bucket=sys.argv[1], Key=sys.argv[2] + '/2026-01/forgotten.bin')", [bucket, prefix])
    let folder = TestSupport.TemporaryFolder()
    let out = try PublishSupport.statements(PublishSupport.dump(folder), folder.file("out"), ["--period", "2026-01"])
    let run = try Self.publish(server, out, url)
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stderr.contains("removed 1 unfinished upload"), "\(run.stderr)")
    let left = try server.boto3(
      "print(len(s3.list_multipart_uploads(Bucket=sys.argv[1], Prefix=sys.argv[2] + '/').get('Uploads', [])))",
      [bucket, prefix])
    #expect(left == "0\n")
  }

  @Test func serverSideEncryptionIsAskedForEveryObject() throws {
    let (server, url) = try Self.shared()
    let folder = TestSupport.TemporaryFolder()
    let out = try PublishSupport.statements(PublishSupport.dump(folder), folder.file("out"), ["--period", "2026-01"])
    let run = try Self.publish(server, out, url, ["--sse", "aes256"])
    #expect(run.status == 0, "\(run.stderr)")
    let modes = try Self.heads(server, url, #"str(h.get("ServerSideEncryption"))"#)
    #expect(modes.count == TestSupport.tree(out).count)
    #expect(modes.allSatisfy { $0 == "AES256" }, "\(modes)")
  }
}
