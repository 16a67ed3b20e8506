import Foundation
import Testing

/// A sharded `run`: `run --shard K/N` in separate processes at the same time (each fetching its accounts from the
/// local Stripe test server and uploading them under `shards/<as-of>/` in a folder target), then `run
/// --merge-shards N`, publishes what one unsharded run with the same as-of publishes, object for object.
@Suite(.serialized, .enabled(if: ExternalTool.available(ExternalTool.python3), "needs python3"))
struct RunShardTests {
  static let asOf = "2026-06-01T00:00:00Z"

  private func config(_ folder: TestSupport.TemporaryFolder, _ name: String, server: StripeTestServer) -> String {
    folder.write(
      name + ".yaml",
      """
      source: {api: {platform: true, all_accounts: true, dumps: \(name)-dumps, api_base: "\(server.base)"}}
      storage: {url: \(name)-target}
      formats: [csv, camt053]
      work_folder: \(name)-work
      """)
  }

  private var environment: [String: String] {
    var environment = ProcessInfo.processInfo.environment
    environment["STRIPE_API_KEY"] = StripeTestServer.key
    return environment
  }

  private func run(_ config: String, _ extra: [String], in folder: TestSupport.TemporaryFolder) throws
    -> TestSupport.Run
  {
    try TestSupport.run(
      "treasury-report", ["run", "--config", config, "--as-of", Self.asOf] + extra, cwd: folder.path,
      environment: environment)
  }

  /// Starts every shard at once and waits for all; returns their exit statuses and stderr.
  private func shardsConcurrently(
    _ config: String, _ shards: [Int], of count: Int, in folder: TestSupport.TemporaryFolder
  ) throws -> [(Int32, String)] {
    var started: [(Process, String)] = []
    for k in shards {
      let process = Process()
      process.executableURL = TestSupport.binaries.appendingPathComponent("treasury-report")
      process.arguments = ["run", "--config", config, "--as-of", Self.asOf, "--shard", "\(k)/\(count)"]
      process.environment = environment
      process.currentDirectoryURL = URL(fileURLWithPath: folder.path)
      let errPath = folder.file("shard-\(k)-\(UUID().uuidString).err")
      FileManager.default.createFile(atPath: errPath, contents: nil)
      process.standardError = FileHandle(forWritingAtPath: errPath)
      process.standardOutput = FileHandle.nullDevice
      try process.run()
      started.append((process, errPath))
    }
    return started.map { process, errPath in
      process.waitUntilExit()
      return (process.terminationStatus, TestSupport.text(errPath))
    }
  }

  /// The published statements (every object but the run records and the shards), and the index without run ids.
  private func published(_ target: String) -> [String: Data] {
    var files = TestSupport.tree(target).filter { !$0.key.hasPrefix("runs/") && !$0.key.hasPrefix("shards/") }
    if let index = files["index.jsonl"] {
      let text = String(decoding: index, as: UTF8.self)
      files["index.jsonl"] = Data(text.replacing(/"run":"[^"]*"/, with: "\"run\":\"-\"").utf8)
    }
    return files
  }

  @Test func shardsThenMergePublishWhatOneRunDoes() throws {
    let folder = TestSupport.TemporaryFolder()
    let data = folder.file("source")
    try TestSupport.generateWithPlatform(
      into: data, ["--accounts", "8", "--months", "2", "--transactions-per-month", "10", "--seed", "31"])
    let server = try StripeTestServer(data: data, log: folder.file("api.log"))

    let whole = try run(config(folder, "whole", server: server), [], in: folder)
    #expect(whole.status == 0, "\(whole.stderr)")
    let expected = published(folder.file("whole-target"))
    // Every financial account (the platform's and seven connected accounts') has two final months.
    #expect(expected.keys.filter { $0.hasSuffix("/v1/statement.json") }.count == 16)

    let sharded = config(folder, "sharded", server: server)
    // Two of three shards: the merge refuses to publish from an incomplete set, and says which shard is missing.
    for (status, stderr) in try shardsConcurrently(sharded, [0, 1], of: 3, in: folder) {
      #expect(status == 0, "\(stderr)")
      #expect(stderr.contains("uploaded shard "), "\(stderr)")
      #expect(stderr.contains("fetched and uploaded; it publishes nothing (run --merge-shards does)"), "\(stderr)")
    }
    // A shard leaves no working folder behind (its dumps are in the source's folder, its part in the target).
    #expect(TestSupport.tree(folder.file("sharded-work")).isEmpty)
    let early = try run(sharded, ["--merge-shards", "3"], in: folder)
    #expect(early.status == 5)
    #expect(early.stderr.contains("1 of 3 shards have no complete upload (2/3)"), "\(early.stderr)")
    #expect(!TestSupport.tree(folder.file("sharded-target")).keys.contains { $0.hasSuffix("statement.json") })

    let last = try shardsConcurrently(sharded, [2], of: 3, in: folder)
    #expect(last[0].0 == 0, "\(last[0].1)")
    // A shard run again for the same as-of finds its upload and does nothing (no request to the API).
    let requests = server.requests.count
    let again = try run(sharded, ["--shard", "0/3"], in: folder)
    #expect(again.status == 0, "\(again.stderr)")
    #expect(again.stderr.contains("shard 0/3 of this as-of is already uploaded; nothing to do"), "\(again.stderr)")
    #expect(server.requests.count == requests)
    // Each shard uploaded only its own account folders (the platform with shard 0).
    let shardKeys = TestSupport.tree(folder.file("sharded-target")).keys.filter { $0.hasPrefix("shards/") }
    #expect(shardKeys.contains { $0.hasPrefix("shards/20260601T000000Z/0-of-3/") && $0.contains("/platform/") })
    #expect(!shardKeys.contains { !$0.hasPrefix("shards/20260601T000000Z/0-of-3/") && $0.contains("/platform/") })
    #expect(Set(shardKeys.filter { $0.wholeMatch(of: /shards\/20260601T000000Z\/[0-9]-of-3\.json/) != nil }).count == 3)

    let merged = try run(sharded, ["--merge-shards", "3"], in: folder)
    #expect(merged.status == 0, "\(merged.stderr)")
    #expect(merged.stderr.contains("merging 3 shards from "), "\(merged.stderr)")
    let got = published(folder.file("sharded-target"))
    #expect(got.keys.sorted() == expected.keys.sorted())
    for (key, bytes) in expected where got[key] != bytes { Issue.record("\(key) differs from the unsharded run's") }

    // A merge with another N reads another set: none of it is there.
    let other = try run(sharded, ["--merge-shards", "2"], in: folder)
    #expect(other.status == 5)
    #expect(other.stderr.contains("2 of 2 shards have no complete upload"))
  }

  /// The same through S3 (moto's server, signatures checked): shards in the bucket, the merge reads them there.
  @Test func shardsAndTheMergeGoThroughABucket() throws {
    let s3 = try #require(S3TestServer.shared, "moto's S3 server did not start: run `make test-venv`")
    let folder = TestSupport.TemporaryFolder()
    let server = try StripeTestServer(data: try TestSupport.smallFetchSource(in: folder), log: folder.file("api.log"))
    let prefix = "shards-" + UUID().uuidString.prefix(8).lowercased()
    let config = folder.write(
      "run.yaml",
      """
      source: {api: {platform: true, all_accounts: true, dumps: dumps, api_base: "\(server.base)"}}
      storage: {url: "s3://\(S3TestServer.bucket)/\(prefix)", endpoint: "\(s3.endpoint)", region: "\(s3.region)", path_style: true}
      work_folder: work
      """)
    var environment = self.environment
    for (key, value) in s3.environment { environment[key] = value }
    func run(_ extra: [String]) throws -> TestSupport.Run {
      try TestSupport.run(
        "treasury-report", ["run", "--config", config, "--as-of", Self.asOf] + extra, cwd: folder.path,
        environment: environment)
    }
    for k in 0..<2 {
      let shard = try run(["--shard", "\(k)/2"])
      #expect(shard.status == 0, "\(shard.stderr)")
    }
    let merged = try run(["--merge-shards", "2"])
    #expect(merged.status == 0, "\(merged.stderr)")
    let keys = try s3.boto3(
      """
      pages = s3.get_paginator("list_objects_v2").paginate(Bucket=sys.argv[1], Prefix=sys.argv[2] + "/")
      for page in pages:
          for o in page.get("Contents", []):
              print(o["Key"][len(sys.argv[2]) + 1:])
      """, [S3TestServer.bucket, prefix]
    ).split(separator: "\n").map(String.init)
    #expect(
      keys.contains("shards/20260601T000000Z/0-of-2.json") && keys.contains("shards/20260601T000000Z/1-of-2.json"))
    #expect(
      keys.contains {
        $0.hasPrefix("shards/20260601T000000Z/0-of-2/") && $0.hasSuffix("/platform/transactions.jsonl.gz")
      })
    // The platform and two connected accounts, one month each.
    #expect(keys.filter { $0.hasSuffix("/v1/statement.json") }.count == 3, "\(keys)")
    #expect(keys.contains("index.jsonl") && !keys.contains("lock.json"))
  }

  @Test func shardFlagsAreCheckedBeforeAnythingRuns() throws {
    let folder = TestSupport.TemporaryFolder()
    folder.write("run.yaml", "source: {dumps: [dumps]}\nstorage: {url: target}\nwork_folder: work\n")
    func attempt(_ arguments: [String]) throws -> TestSupport.Run {
      try TestSupport.run(
        "treasury-report", ["run", "--config", folder.file("run.yaml")] + arguments, cwd: folder.path,
        environment: environment)
    }
    let noAsOf = try attempt(["--shard", "0/2"])
    #expect(noAsOf.status == 1)
    #expect(noAsOf.stderr.contains("--shard and --merge-shards need --as-of"))
    let both = try attempt(["--shard", "0/2", "--merge-shards", "2", "--as-of", Self.asOf])
    #expect(both.status == 1)
    let bad = try attempt(["--shard", "3/2", "--as-of", Self.asOf])
    #expect(bad.status == 1)
    #expect(bad.stderr.contains("--shard takes K/N"))
    let dumpsSource = try attempt(["--shard", "0/2", "--as-of", Self.asOf])
    #expect(dumpsSource.status == 1)
    #expect(dumpsSource.stderr.contains("--shard needs source.api"), "\(dumpsSource.stderr)")
    // An as-of after the shard's fetch starts would take data created in between as complete.
    folder.write(
      "api.yaml",
      "source: {api: {all_accounts: true, dumps: d, api_base: \"http://127.0.0.1:9\"}}\nstorage: {url: target}\nwork_folder: work\n"
    )
    let future = try TestSupport.run(
      "treasury-report",
      ["run", "--config", folder.file("api.yaml"), "--shard", "0/2", "--as-of", "2999-01-01T00:00:00Z"],
      cwd: folder.path, environment: environment)
    #expect(future.status == 1)
    #expect(future.stderr.contains("is after this shard's fetch starts"), "\(future.stderr)")
    #expect(!FileManager.default.fileExists(atPath: folder.file("target/lock.json")))
  }
}
