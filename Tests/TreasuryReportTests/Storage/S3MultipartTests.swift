import Foundation
import Testing
import TreasuryHTTP

@testable import TreasuryStorage

/// Multipart uploads against moto: interrupted and resumed, and carried through 503 SlowDown and dropped
/// connections. Each test has its own server, since the faults and delays it sets are server-wide.
struct S3MultipartTests {
  /// Deterministic bytes that do not repeat per part (so a part put in the wrong place would not match).
  static func bytes(_ count: Int, seed: UInt64) -> [UInt8] {
    var state = seed
    return (0..<count).map { _ in
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return UInt8(truncatingIfNeeded: state >> 56)
    }
  }

  /// A file of `count` bytes of `bytes(_:seed:)` in `folder`, with its SHA-256.
  static func file(_ folder: TestSupport.TemporaryFolder, _ name: String, _ count: Int, seed: UInt64) -> (
    path: String, size: Int64, sha256: String
  ) {
    let content = bytes(count, seed: seed)
    let path = folder.file(name)
    _ = FileManager.default.createFile(atPath: path, contents: Data(content))
    return (path, Int64(count), StoreFixture.sha256(content))
  }

  /// Part uploads (PUT with partNumber) the server received for `key`.
  static func partPuts(_ server: S3TestServer, _ key: String) async throws -> Int {
    try await server.requests().filter {
      $0.method == "PUT" && $0.path.hasSuffix(key) && $0.query.contains("partNumber") && $0.fault == nil
    }.count
  }

  @Test func anInterruptedUploadIsResumedAndLeavesNoUploadBehind() async throws {
    let server = try S3TestServer.own()
    let folder = TestSupport.TemporaryFolder()
    let (path, size, sha) = Self.file(folder, "statements.tar.gz", 60_000_000, seed: 14)
    let parts = (Int(size) + StoreSettings.minimumPartSize - 1) / StoreSettings.minimumPartSize  // 12

    // Slow answers, so the upload is surely cut part way.
    try await server.faults(delay: 1)
    let first = try await StoreFixture.openS3(server, prefix: "resume")
    let upload = Task {
      try await first.put(
        "2026-03/statements.tar.gz", file: path, size: size, sha256: sha, options: PutOptions())
    }
    // Cut once the first parts were answered and more are on the way (4 in flight at a time).
    var started = 0
    for _ in 0..<3000 where started < 6 {
      try await Task.sleep(for: .milliseconds(20))
      started = try await Self.partPuts(server, "2026-03/statements.tar.gz")
    }
    upload.cancel()
    let cancelled = await upload.result
    guard case .failure(let error) = cancelled, case .cancelled? = error as? StorageError else {
      Issue.record("the interrupted put ended with \(cancelled)")
      return
    }
    let firstRun = try await Self.partPuts(server, "2026-03/statements.tar.gz")
    let kept = try Self.parts(server, "resume/2026-03/statements.tar.gz")
    #expect(kept >= 1 && kept < parts, "parts stored when interrupted: \(kept) of \(parts)")

    // The next run (a new store, as after a restart) resumes the upload rather than starting again.
    try await server.faults()
    let second = try await StoreFixture.openS3(server, prefix: "resume")
    #expect(
      try await second.put(
        "2026-03/statements.tar.gz", file: path, size: size, sha256: sha, options: PutOptions())
        == .written)
    let secondRun = try await Self.partPuts(server, "2026-03/statements.tar.gz") - firstRun
    #expect(secondRun == parts - kept, "sent \(secondRun) parts the second time; \(kept) of \(parts) were kept")

    let head = try #require(try await second.head("2026-03/statements.tar.gz"))
    #expect(head.size == size)
    #expect(head.sha256 == sha)
    let download = folder.file("download")
    #expect(try await second.download("2026-03/statements.tar.gz", to: download, maxBytes: 1 << 30) == sha)
    #expect(try Self.uploadsLeft(server) == 0)
    #expect(try await second.removeIncompleteUploads() == 0)
  }

  @Test func anUploadThatDoesNotMatchTheFileIsAbortedNotResumed() async throws {
    let server = try S3TestServer.own()
    let folder = TestSupport.TemporaryFolder()
    let (path, size, sha) = Self.file(folder, "big.bin", 11_000_000, seed: 5)
    // An upload of other bytes under the same key, as a run of another output would leave.
    _ = try server.boto3(
      """
      upload = s3.create_multipart_upload(Bucket=sys.argv[1], Key=sys.argv[2], ChecksumAlgorithm="SHA256")
      s3.upload_part(Bucket=sys.argv[1], Key=sys.argv[2], UploadId=upload["UploadId"], PartNumber=1,
          Body=b"y" * (5 << 20), ChecksumAlgorithm="SHA256")
      """, [S3TestServer.bucket, "mismatch/big.bin"])
    let store = try await StoreFixture.openS3(server, prefix: "mismatch")
    #expect(
      try await store.put("big.bin", file: path, size: size, sha256: sha, options: PutOptions())
        == .written)
    #expect(try await Self.partPuts(server, "mismatch/big.bin") == 1 + 3, "boto3's part, then all three of ours")
    #expect(try await store.head("big.bin")?.sha256 == sha)
    #expect(try Self.uploadsLeft(server) == 0)
  }

  @Test func slowDownAndDroppedConnectionsAreRetried() async throws {
    let server = try S3TestServer.own()
    let folder = TestSupport.TemporaryFolder()
    let (path, size, sha) = Self.file(folder, "big.bin", 12_000_000, seed: 7)
    let small = folder.write("small.csv", "small\n")
    let store = try await StoreFixture.openS3(server, prefix: "faults")
    try await server.faults(slowdownEvery: 3, dropEvery: 5)

    #expect(
      try await store.put(
        "small.csv", file: small, size: 6, sha256: StoreFixture.sha256(Array("small\n".utf8)), options: PutOptions())
        == .written)
    #expect(
      try await store.put("big.bin", file: path, size: size, sha256: sha, options: PutOptions()) == .written
    )
    #expect(try await store.list(under: "").map(\.key) == ["big.bin", "small.csv"])
    #expect(try await store.download("big.bin", to: folder.file("copy"), maxBytes: 1 << 30) == sha)

    let faults = try await server.requests().compactMap(\.fault)
    #expect(faults.contains("slowdown") && faults.contains("drop"), "\(faults)")
  }

  @Test func retriesThatRunOutNameTheLastAnswer() async throws {
    let server = try S3TestServer.own()
    try await server.faults(slowdownEvery: 1)
    let store = try await openStore(
      .s3(bucket: S3TestServer.bucket, prefix: "spent"),
      settings: StoreSettings(
        endpoint: server.endpoint, region: server.region, timeout: 30,
        retry: RetryPolicy(maxAttempts: 3, baseDelay: 0.01, maxDelay: 0.02, jitter: .full)),
      environment: server.environment)
    let error = await #expect(throws: StorageError.self) { try await store.list(under: "2026-03/") }
    #expect(
      error
        == .retriesExhausted(
          url: "s3://treasury-tests/spent/2026-03/", attempts: 3,
          last: "HTTP 503 SlowDown: Please reduce your request rate."))
    #expect(error?.message.contains("rerun to resume") == true)
    #expect(error?.exitStatus == 5)
    #expect(try await server.requests().count == 3)
  }

  /// Parts the server holds for the one upload in progress of `key` (0 when there is none).
  static func parts(_ server: S3TestServer, _ key: String) throws -> Int {
    let out = try server.boto3(
      """
      uploads = s3.list_multipart_uploads(Bucket=sys.argv[1], Prefix=sys.argv[2]).get("Uploads", [])
      print(sum(len(s3.list_parts(Bucket=sys.argv[1], Key=u["Key"], UploadId=u["UploadId"]).get("Parts", []))
          for u in uploads))
      """, [S3TestServer.bucket, key])
    return Int(out.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
  }

  /// Multipart uploads in progress in the bucket.
  static func uploadsLeft(_ server: S3TestServer) throws -> Int {
    let out = try server.boto3(
      "print(len(s3.list_multipart_uploads(Bucket=sys.argv[1]).get('Uploads', [])))", [S3TestServer.bucket])
    return Int(out.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
  }
}
