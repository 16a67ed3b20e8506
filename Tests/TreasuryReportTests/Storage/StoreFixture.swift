import Crypto
import Foundation
import Testing
import TreasuryHTTP

@_spi(Inlining) @testable import TreasuryModel
@testable import TreasuryStorage

/// The stores the contract suite runs against.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
  case local
  case s3
  var testDescription: String { rawValue }
}

/// One test's store, empty at the start: a new folder, or a new prefix on the shared moto server.
final class StoreFixture {
  let kind: StoreKind
  /// Files to upload and downloads go here (and the local store's root).
  let folder = TestSupport.TemporaryFolder()
  let store: any ObjectStore
  /// S3: the shared server, and this test's prefix in `S3TestServer.bucket`.
  let server: S3TestServer?
  let prefix = "t-" + UUID().uuidString.lowercased()

  init(_ kind: StoreKind, bucket: String = S3TestServer.bucket, settings: StoreSettings? = nil) async throws {
    self.kind = kind
    switch kind {
    case .local:
      server = nil
      store = LocalStore(root: folder.file("store"))
    case .s3:
      let server = try #require(S3TestServer.shared, "moto's server did not start: run `make test-venv`")
      self.server = server
      store = try await openStore(
        .s3(bucket: bucket, prefix: prefix), settings: settings ?? Self.settings(server),
        environment: server.environment)
    }
  }

  /// A store under `prefix` on `server`, with the credentials of `environment` (the server's by default).
  static func openS3(
    _ server: S3TestServer, prefix: String, bucket: String = S3TestServer.bucket, environment: [String: String]? = nil
  ) async throws -> any ObjectStore {
    try await openStore(
      .s3(bucket: bucket, prefix: prefix), settings: settings(server), environment: environment ?? server.environment)
  }

  /// Puts `a\n` under `a.csv`: the smallest write, for tests of who may write where.
  @discardableResult
  static func putSmall(_ store: any ObjectStore) async throws -> PutOutcome {
    let folder = TestSupport.TemporaryFolder()
    let path = folder.write("a.csv", "a\n")
    return try await store.put("a.csv", file: path, size: 2, sha256: sha256(Array("a\n".utf8)), options: PutOptions())
  }

  /// Settings for the test server: its endpoint, small parts, short waits between attempts, and listings of two
  /// entries a page (so that every listing follows continuation tokens and markers).
  static func settings(_ server: S3TestServer) -> StoreSettings {
    StoreSettings(
      endpoint: server.endpoint, region: server.region, partSize: StoreSettings.minimumPartSize, timeout: 60,
      retry: RetryPolicy(maxAttempts: 6, baseDelay: 0.01, maxDelay: 0.05, jitter: .full), listPageSize: 2)
  }

  /// A local file holding `bytes`, with what `put` needs to know of it.
  func file(_ name: String, _ bytes: [UInt8]) -> (path: String, size: Int64, sha256: String) {
    let path = folder.file("files/" + name)
    try? FileManager.default.createDirectory(
      atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
    return (path, Int64(bytes.count), Self.sha256(bytes))
  }

  /// Puts `bytes` under `key` from a new local file.
  @discardableResult
  func put(_ key: String, _ bytes: [UInt8], options: PutOptions = PutOptions()) async throws -> PutOutcome {
    let local = file(UUID().uuidString, bytes)
    return try await store.put(key, file: local.path, size: local.size, sha256: local.sha256, options: options)
  }

  /// The bytes stored under `key`, read back through the store.
  func stored(_ key: String) async throws -> [UInt8] {
    let path = folder.file("downloads/" + UUID().uuidString)
    try FileManager.default.createDirectory(
      atPath: folder.file("downloads"), withIntermediateDirectories: true)
    let sha = try await store.download(key, to: path, maxBytes: 1 << 30)
    let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    #expect(sha == Self.sha256(bytes), "download's SHA-256 is of the bytes it wrote")
    return bytes
  }

  /// Writes the store received since the fixture started: S3 PUTs and POSTs under the prefix; for a folder, files
  /// whose inode changed (a write would make a new one) and staging files left.
  func writes() async throws -> [String] {
    switch kind {
    case .local:
      return stagingFiles()
        + TestSupport.tree(folder.file("store")).keys.sorted().map { key in
          var info = stat()
          lstat(folder.file("store/" + key), &info)
          return "\(key) inode \(info.st_ino)"
        }
    case .s3:
      return try await server!.requests()
        .filter { $0.path.contains(prefix) && $0.method != "GET" && $0.method != "HEAD" }
        .map { "\($0.method) \($0.path)?\($0.query)" }
    }
  }

  /// Leaves what a run killed while writing `key` would leave behind.
  func leaveIncompleteUpload(_ key: String) async throws {
    switch kind {
    case .local:
      let path = folder.file("store/" + key)
      let staging = (path as NSString).deletingLastPathComponent + "/" + LocalStore.stagingPrefix + UUID().uuidString
      try FileManager.default.createDirectory(
        atPath: (staging as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
      _ = FileManager.default.createFile(atPath: staging, contents: Data(repeating: 1, count: 1000))
    case .s3:
      _ = try server!.boto3(
        """
        upload = s3.create_multipart_upload(Bucket=sys.argv[1], Key=sys.argv[2], ChecksumAlgorithm="SHA256")
        s3.upload_part(Bucket=sys.argv[1], Key=sys.argv[2], UploadId=upload["UploadId"], PartNumber=1,
            Body=b"x" * 1000, ChecksumAlgorithm="SHA256")
        """, [S3TestServer.bucket, prefix + "/" + key])
    }
  }

  /// How many interrupted writes are left in the store.
  func incompleteUploads() async throws -> Int {
    switch kind {
    case .local: return stagingFiles().count
    case .s3:
      let out = try server!.boto3(
        """
        uploads = s3.list_multipart_uploads(Bucket=sys.argv[1], Prefix=sys.argv[2]).get("Uploads", [])
        print(len(uploads))
        """, [S3TestServer.bucket, prefix + "/"])
      return Int(out.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }
  }

  /// Staging files anywhere in the local store.
  func stagingFiles() -> [String] {
    let root = folder.file("store")
    let all = FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? []
    return all.filter { ($0 as NSString).lastPathComponent.hasPrefix(LocalStore.stagingPrefix) }
  }

  static func sha256(_ bytes: [UInt8]) -> String { Hex.string(SHA256.hash(data: bytes)) }
}
