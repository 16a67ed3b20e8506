import Foundation
import Testing

@testable import TreasuryModel

/// `merge` refuses shard folders that do not make one run, each with its own message and exit code, and writes
/// nothing then.
@Suite(.serialized) struct MergeRefusalTests {
  static let fixed = ShardMergeTests.fixed

  private func expectRefused(
    _ run: TestSupport.Run, status: Int32, saying text: String, dumps: ShardDumps,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
  ) {
    #expect(run.status == status, "\(run.stderr)", sourceLocation: sourceLocation)
    #expect(run.stderr.contains(text), "\(run.stderr)", sourceLocation: sourceLocation)
    #expect(!FileManager.default.fileExists(atPath: dumps.folder.file("merged")), sourceLocation: sourceLocation)
  }

  @Test func aMissingShardIsRefused() throws {
    let dumps = try ShardDumps(accounts: 3)
    let shards = try dumps.statements("shard", Self.fixed, shards: 3)
    expectRefused(
      try dumps.merge([shards[0], shards[2]], into: "merged"), status: 1, saying: "shard 1/3 missing", dumps: dumps)
  }

  @Test func aShardNamedTwiceIsRefused() throws {
    let dumps = try ShardDumps(accounts: 3)
    let shards = try dumps.statements("shard", Self.fixed, shards: 2)
    expectRefused(
      try dumps.merge(shards + [shards[1]], into: "merged"), status: 1, saying: "is named twice", dumps: dumps)
  }

  @Test func shardsOfDifferentFlagsAreRefused() throws {
    let dumps = try ShardDumps(accounts: 3)
    let a = try dumps.statements("utc", Self.fixed, shards: 2)
    let b = try dumps.statements("ny", Self.fixed + ["--tz", "America/New_York"], shards: 2)
    let run = try dumps.merge([a[0], b[1]], into: "merged")
    expectRefused(run, status: 1, saying: "made with different flags", dumps: dumps)
    #expect(run.stderr.contains("tz: UTC against America/New_York"), "\(run.stderr)")
  }

  @Test func shardsOfDifferentCountsAreRefused() throws {
    let dumps = try ShardDumps(accounts: 3)
    let two = try dumps.statements("two", Self.fixed, shards: 2)
    let three = try dumps.statements("three", Self.fixed, shards: 3)
    expectRefused(
      try dumps.merge([two[0], three[1], three[2]], into: "merged"), status: 1, saying: "is one of 3", dumps: dumps)
  }

  /// A connected account moved to another shard's account between the shards' runs: its financial account is in
  /// two shards.
  @Test func overlappingShardsAreRefused() throws {
    let dumps = try ShardDumps(accounts: 3)
    let account = "acct_1NbQxRk2Lp7tYz01"
    let first = Shard.index(of: account, count: 2)
    let shardA = try dumps.statements("a", Self.fixed, shards: 2)[first]
    // An id the other shard owns, for the same files.
    let moved = (0..<1000).map { "acct_1Moved\($0)" }.first { Shard.index(of: $0, count: 2) != first }!
    try FileManager.default.moveItem(atPath: dumps.dump + "/" + account, toPath: dumps.dump + "/" + moved)
    let shardB = try dumps.statements("b", Self.fixed, shards: 2)[1 - first]
    expectRefused(
      try dumps.merge([shardA, shardB], into: "merged"), status: 2, saying: "the shards overlap", dumps: dumps)
  }

  /// One run refuses live and test objects together; so does merge when they were read by different shards.
  @Test func liveAndTestShardsAreRefused() throws {
    let dumps = try ShardDumps(accounts: 4)
    // A split that leaves the samples' accounts (one has a gzipped file) with the platform on shard 0.
    let samples = dumps.accounts.filter { !$0.hasPrefix("acct_1Gen") }
    let n = try #require(
      (2...20).first { n in
        samples.allSatisfy { Shard.index(of: $0, count: n) == 0 }
          && dumps.accounts.contains { Shard.index(of: $0, count: n) != 0 }
      })
    for account in dumps.accounts where Shard.index(of: account, count: n) != 0 {
      let folder = dumps.folder(of: account)
      for name in try FileManager.default.subpathsOfDirectory(atPath: folder) where name.hasSuffix(".jsonl") {
        let text = TestSupport.text(folder + "/" + name)
        let live = text.replacingOccurrences(
          of: #""livemode": *false"#, with: #""livemode":true"#, options: .regularExpression)
        #expect(live != text || !text.contains("livemode"))
        try Data(live.utf8).write(to: URL(fileURLWithPath: folder + "/" + name))
      }
    }
    let whole = try TestSupport.run(
      "treasury-report", ["statements", dumps.dump, "--out", dumps.folder.file("whole")] + Self.fixed)
    #expect(whole.status == 2 && whole.stderr.contains("live"), "\(whole.stderr)")
    let shards = try dumps.statements("shard", Self.fixed, shards: n)
    expectRefused(
      try dumps.merge(shards, into: "merged"), status: 2, saying: "read live-mode ones", dumps: dumps)
  }

  @Test func aShardThatFailsVerifyIsRefused() throws {
    let dumps = try ShardDumps(accounts: 3)
    let shards = try dumps.statements("shard", Self.fixed, shards: 2)
    let summary = shards[1] + "/summary.csv"
    var bytes = try #require(FileManager.default.contents(atPath: summary))
    bytes[bytes.count - 3] ^= 0x01
    try bytes.write(to: URL(fileURLWithPath: summary))
    let run = try dumps.merge(shards, into: "merged")
    expectRefused(run, status: 2, saying: "does not verify", dumps: dumps)
    #expect(run.stderr.contains(shards[1]), "\(run.stderr)")
  }

  @Test func aFolderThatIsNotAnOutputIsRefused() throws {
    let dumps = try ShardDumps(accounts: 3)
    let shards = try dumps.statements("shard", Self.fixed, shards: 2)
    expectRefused(
      try dumps.merge([shards[0], dumps.dump], into: "merged"), status: 2, saying: dumps.dump, dumps: dumps)
  }
}
