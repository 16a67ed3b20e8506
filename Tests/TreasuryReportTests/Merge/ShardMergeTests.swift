import Foundation
import Testing

@testable import TreasuryModel

/// `statements --shard K/N` run as N processes at once, then `merge`: the unsharded run's folder, byte for byte.
@Suite(.serialized) struct ShardMergeTests {
  static let fixed = ["--from", "2026-01-01", "--to", "2026-05-01"]
  static let exports =
    fixed + [
      "--format", "csv,camt053", "--gzip", "--archive", "--as-of", "2026-05-02T06:00:00Z", "--tz", "America/New_York",
    ]

  /// Every file of the merged folder equals the unsharded run's; the manifest adds only `merged_from`.
  private func expectMergeEqualsUnsharded(shards n: Int, flags: [String]) throws {
    let dumps = try ShardDumps()
    let whole = try dumps.statements("whole", flags)[0]
    let shards = try dumps.statements("shard", flags, shards: n)
    // Each shard read only its accounts' files, and the platform's (files under no acct_ folder) only on shard 0.
    for (k, shard) in shards.enumerated() {
      let manifest = TestSupport.text(shard + "/manifest.json")
      for account in dumps.accounts {
        let owned = Shard.index(of: account, count: n) == k
        #expect(manifest.contains("/" + account + "/") == owned, "shard \(k)/\(n) and \(account)")
      }
      #expect(manifest.contains("dump/names.jsonl") == (k == 0))
      if n > 1 { #expect(manifest.contains(#""shard" : "\#(k)/\#(n)""#)) }
    }
    // Given in reverse order: merge orders them by K.
    let run = try dumps.merge(shards.reversed(), into: "merged")
    #expect(run.status == 0, "\(run.stderr)")
    let merged = dumps.folder.file("merged")
    var expected = TestSupport.tree(whole)
    var actual = TestSupport.tree(merged)
    let wholeManifest = expected.removeValue(forKey: "manifest.json").map { String(decoding: $0, as: UTF8.self) }
    let mergedManifest = actual.removeValue(forKey: "manifest.json").map { String(decoding: $0, as: UTF8.self) }
    #expect(expected.count > 20)
    #expect(actual.keys.sorted() == expected.keys.sorted())
    for (path, bytes) in expected { #expect(actual[path] == bytes, "\(path) differs from the unsharded run's") }
    let (manifest, from) = ShardDumps.withoutMergedFrom(mergedManifest ?? "")
    #expect(manifest == wholeManifest, "manifest.json differs from the unsharded run's beyond merged_from")
    #expect(from == shards)
    let verify = try TestSupport.run("treasury-report", ["verify", merged])
    #expect(verify.status == 0, "\(verify.stderr)")
  }

  @Test(arguments: [1, 2, 3, 7])
  func csvShardsMergeToTheUnshardedRun(shards: Int) throws {
    try expectMergeEqualsUnsharded(shards: shards, flags: Self.fixed)
  }

  @Test(arguments: [1, 2, 3, 7])
  func camtGzipArchiveShardsMergeToTheUnshardedRun(shards: Int) throws {
    try expectMergeEqualsUnsharded(shards: shards, flags: Self.exports)
  }

  /// A period's BAI2 file holds every account: the shards' account groups in one file, trailers added up again.
  @Test(arguments: [2, 7])
  func bai2ShardsMergeToTheUnshardedRun(shards: Int) throws {
    try expectMergeEqualsUnsharded(
      shards: shards, flags: Self.fixed + ["--format", "bai2,csv", "--archive", "--as-of", "2026-05-02T06:00:00Z"])
  }

  /// Without --gzip, archives are rebuilt by compressing each file into its member, as the unsharded run does.
  @Test func plainArchivesMergeToTheUnshardedRun() throws {
    try expectMergeEqualsUnsharded(
      shards: 3, flags: Self.fixed + ["--archive", "--format", "csv,html", "--as-of", "2026-05-02"])
  }

  /// With `--skip-invalid`, `rejects.jsonl` lists the lines set aside in the unsharded run's input order.
  @Test(arguments: [2, 3])
  func rejectsMergeInInputOrder(shards n: Int) throws {
    let dumps = try ShardDumps(accounts: 5)
    for account in dumps.accounts {
      try ShardDumps.append(
        "{not json\n{\"object\":\"treasury.transaction\"}\n",
        to: dumps.folder(of: account) + "/financial_accounts.jsonl")
    }
    try ShardDumps.append("nope\n", to: dumps.dump + "/names.jsonl")
    let flags = Self.fixed + ["--skip-invalid"]
    let whole = try dumps.statements("whole", flags)[0]
    #expect(TestSupport.text(whole + "/rejects.jsonl").split(separator: "\n").count == 2 * dumps.accounts.count + 1)
    let shards = try dumps.statements("shard", flags, shards: n)
    let run = try dumps.merge(shards, into: "merged")
    #expect(run.status == 0, "\(run.stderr)")
    var expected = TestSupport.tree(whole)
    var actual = TestSupport.tree(dumps.folder.file("merged"))
    let wholeManifest = expected.removeValue(forKey: "manifest.json").map { String(decoding: $0, as: UTF8.self) }
    let mergedManifest = actual.removeValue(forKey: "manifest.json").map { String(decoding: $0, as: UTF8.self) }
    #expect(actual == expected)
    #expect(ShardDumps.withoutMergedFrom(mergedManifest ?? "").manifest == wholeManifest)
  }

  /// `--shard 0/1` is the unsharded run: the same folder, manifest included (no shard fields).
  @Test func oneShardIsTheUnshardedRun() throws {
    let dumps = try ShardDumps(accounts: 3)
    let whole = try dumps.statements("whole", Self.fixed)[0]
    let shard = try dumps.statements("shard", Self.fixed, shards: 1)[0]
    #expect(TestSupport.tree(whole) == TestSupport.tree(shard))
  }
}
