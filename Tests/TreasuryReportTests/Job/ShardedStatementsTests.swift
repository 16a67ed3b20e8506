import Foundation
import Testing

@testable import TreasuryModel

/// `statements --shard K/N` on its own: what a shard reads and what it refuses.
@Suite(.serialized) struct ShardedStatementsTests {
  /// A file another shard owns is never opened: one that would fail to parse stops only its own shard.
  @Test func aShardDoesNotOpenOtherShardsFiles() throws {
    let dumps = try ShardDumps(accounts: 4)
    let account = dumps.accounts.first { Shard.index(of: $0, count: 2) == 1 }!
    let folder = dumps.folder(of: account)
    dumps.folder.write(String(folder.dropFirst(dumps.folder.path.count + 1)) + "/broken.jsonl", "{not json\n")
    let flags = ["statements", dumps.dump, "--from", "2026-01-01", "--to", "2026-05-01"]
    let other = try TestSupport.run("treasury-report", flags + ["--shard", "0/2", "--out", dumps.folder.file("s0")])
    #expect(other.status == 0, "\(other.stderr)")
    #expect(!TestSupport.text(dumps.folder.file("s0/manifest.json")).contains("broken.jsonl"))
    let owner = try TestSupport.run("treasury-report", flags + ["--shard", "1/2", "--out", dumps.folder.file("s1")])
    #expect(owner.status == 2, "\(owner.stderr)")
    #expect(owner.stderr.contains("broken.jsonl"), "\(owner.stderr)")
  }

  /// Periods taken from the data would end at the shard's own last activity: a sharded run needs fixed ones,
  /// and `--as-of` where outputs are dated by the data.
  @Test func aShardNeedsFixedPeriodsAndAsOf() throws {
    let folder = TestSupport.TemporaryFolder()
    let run = { (flags: [String]) in
      try TestSupport.run(
        "treasury-report", ["statements", TestSupport.samples, "--out", folder.file("out"), "--shard", "1/2"] + flags)
    }
    let dataDriven = try run([])
    #expect(dataDriven.status == 1 && dataDriven.stderr.contains("needs fixed periods"), "\(dataDriven.stderr)")
    let camt = try run(["--period", "2026-03", "--format", "camt053"])
    #expect(camt.status == 1 && camt.stderr.contains("needs --as-of"), "\(camt.stderr)")
    let faOnly = try run(["--period", "2026-03", "--only", "fa_1NorthwindOps000001"])
    #expect(faOnly.status == 1 && faOnly.stderr.contains("--only fa_"), "\(faOnly.stderr)")
    let malformed = try run(["--period", "2026-03", "--shard", "2/2"])
    #expect(malformed.status == 1, "\(malformed.stderr)")
    #expect(!FileManager.default.fileExists(atPath: folder.file("out")))
    // The same flags without --shard 1/2 but as 0/1 run (one shard is the whole run).
    let whole = try TestSupport.run(
      "treasury-report", ["statements", TestSupport.samples, "--out", folder.file("out"), "--shard", "0/1"])
    #expect(whole.status == 0, "\(whole.stderr)")
  }
}
