import Foundation
import Testing

/// `merge` of shards that each published their folder to a storage prefix of their own: downloaded, then merged
/// byte-identical to the unsharded run, the URLs recorded in `merged_from`.
@Suite(.serialized) struct ShardMergeStorageTests {
  private func expectMerged(
    _ dumps: ShardDumps, whole: String, urls: [String], flags: [String], environment: [String: String]?
  ) throws {
    let run = try TestSupport.run(
      "treasury-report", ["merge"] + urls.reversed() + ["--out", dumps.folder.file("merged")] + flags,
      environment: environment)
    #expect(run.status == 0, "\(run.stderr)")
    var expected = TestSupport.tree(whole)
    var actual = TestSupport.tree(dumps.folder.file("merged"))
    let wholeManifest = expected.removeValue(forKey: "manifest.json").map { String(decoding: $0, as: UTF8.self) }
    let mergedManifest = actual.removeValue(forKey: "manifest.json").map { String(decoding: $0, as: UTF8.self) }
    #expect(expected.count > 20)
    #expect(actual == expected)
    let (manifest, from) = ShardDumps.withoutMergedFrom(mergedManifest ?? "")
    #expect(manifest == wholeManifest)
    #expect(from == urls)
  }

  @Test func shardsPublishedToFolderURLsMerge() throws {
    let dumps = try ShardDumps(accounts: 5)
    let whole = try dumps.statements("whole", ShardMergeTests.exports)[0]
    let shards = try dumps.statements("shard", ShardMergeTests.exports, shards: 3)
    var urls: [String] = []
    for (k, shard) in shards.enumerated() {
      let url = "file://" + dumps.folder.file("store/\(k)")
      let run = try PublishSupport.publish(shard, to: url)
      #expect(run.status == 0, "\(run.stderr)")
      urls.append(url)
    }
    try expectMerged(dumps, whole: whole, urls: urls, flags: [], environment: nil)
    // A prefix holding two shards' publications is not one shard (without archives, which would share a key).
    let both = "file://" + dumps.folder.file("store/both")
    for shard in try dumps.statements("plain", ShardMergeTests.fixed, shards: 3).prefix(2) {
      let run = try PublishSupport.publish(shard, to: both)
      #expect(run.status == 0, "\(run.stderr)")
    }
    let twice = try TestSupport.run(
      "treasury-report", ["merge", both, urls[2], "--out", dumps.folder.file("merged-2")])
    #expect(twice.status == 1 && twice.stderr.contains("holds 2 publications"), "\(twice.stderr)")
  }

  @Test(.enabled(if: ExternalTool.available(ExternalTool.venvPython)))
  func shardsPublishedToS3Merge() throws {
    let server = try #require(S3TestServer.shared, "moto's S3 server did not start: run `make test-venv`")
    let prefix = "s3://\(S3TestServer.bucket)/shards-\(UUID().uuidString.prefix(8).lowercased())"
    let flags = ["--s3-endpoint", server.endpoint, "--s3-path-style"]
    let dumps = try ShardDumps(accounts: 5)
    let whole = try dumps.statements("whole", ShardMergeTests.exports)[0]
    let shards = try dumps.statements("shard", ShardMergeTests.exports, shards: 2)
    var urls: [String] = []
    for (k, shard) in shards.enumerated() {
      let run = try PublishSupport.publish(shard, to: prefix + "/\(k)", flags, environment: server.environment)
      #expect(run.status == 0, "\(run.stderr)")
      urls.append(prefix + "/\(k)")
    }
    try expectMerged(dumps, whole: whole, urls: urls, flags: flags, environment: server.environment)
  }
}
