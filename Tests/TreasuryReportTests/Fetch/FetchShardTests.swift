import Foundation
import Testing
import TreasuryModel

@testable import TreasuryFetch

/// `fetch --shard K/N` against the real local Stripe-like server: shards run as separate processes at the same
/// time, each against its own server (same data) so that its requests are its own; their dumps together are the
/// unsharded fetch's, and each asked only for its own accounts' data.
@Suite(.serialized, .enabled(if: ExternalTool.available(ExternalTool.python3), "needs python3"))
struct FetchShardTests {
  /// The platform and seven connected accounts (acct_1Gen00000001 … 07), two months.
  private func source(_ folder: TestSupport.TemporaryFolder) throws -> String {
    let data = folder.file("source")
    try TestSupport.generateWithPlatform(
      into: data, ["--accounts", "8", "--months", "2", "--transactions-per-month", "12", "--seed", "21"])
    return data
  }

  private static let connected = (1...7).map { "acct_1Gen0000000\($0)" }

  /// Starts every fetch at once and waits for all: (status, stderr) in the order given.
  private func fetchConcurrently(_ runs: [[String]]) throws -> [(status: Int32, stderr: String)] {
    var environment = ProcessInfo.processInfo.environment
    environment["STRIPE_API_KEY"] = StripeTestServer.key
    var started: [(Process, String)] = []
    for arguments in runs {
      let process = Process()
      process.executableURL = TestSupport.binaries.appendingPathComponent("treasury-report")
      process.arguments = ["fetch"] + arguments
      process.environment = environment
      let errPath = NSTemporaryDirectory() + "treasury-shard-stderr-\(UUID().uuidString)"
      FileManager.default.createFile(atPath: errPath, contents: nil)
      process.standardError = FileHandle(forWritingAtPath: errPath)
      process.standardOutput = FileHandle.nullDevice
      try process.run()
      started.append((process, errPath))
    }
    return started.map { process, errPath in
      process.waitUntilExit()
      defer { try? FileManager.default.removeItem(atPath: errPath) }
      return (process.terminationStatus, TestSupport.text(errPath))
    }
  }

  private func summary(_ inputs: [String], _ out: String) throws -> String {
    let run = try TestSupport.run("treasury-report", ["statements"] + inputs + ["--out", out, "--format", "summary"])
    #expect(run.status == 0, "\(run.stderr)")
    return TestSupport.text(out + "/summary.csv")
  }

  @Test(arguments: [2, 3, 7])
  func shardsTogetherFetchWhatOneFetchDoes(count: Int) throws {
    let folder = TestSupport.TemporaryFolder()
    let data = try source(folder)
    let common = ["--platform", "--all-accounts", "--page-size", "10", "--max-rps", "500", "--no-progress"]
    let whole = try StripeTestServer(data: data, log: folder.file("whole.log"))
    let unsharded = try TestSupport.fetch(["--out", folder.file("whole"), "--api-base", whole.base] + common)
    #expect(unsharded.status == 0, "\(unsharded.stderr)")
    let wholeFiles = TestSupport.dumpFiles(folder.file("whole"))
    #expect(wholeFiles.count == 3 * 8)

    let servers = try (0..<count).map { try StripeTestServer(data: data, log: folder.file("shard-\($0).log")) }
    let outcomes = try fetchConcurrently(
      (0..<count).map { k in
        ["--out", folder.file("dumps-\(k)"), "--api-base", servers[k].base, "--shard", "\(k)/\(count)"] + common
      })
    var union: [String: Data] = [:]
    for k in 0..<count {
      #expect(outcomes[k].status == 0, "shard \(k)/\(count): \(outcomes[k].stderr)")
      let files = TestSupport.dumpFiles(folder.file("dumps-\(k)"))
      // Each shard holds exactly its own account folders: the platform on shard 0, the others by the hash.
      let owned = Set(Self.connected.filter { Shard.index(of: $0, count: count) == k } + (k == 0 ? ["platform"] : []))
      #expect(Set(files.keys.map { String($0.split(separator: "/")[0]) }) == owned, "shard \(k)/\(count)")
      for (path, bytes) in files {
        #expect(union[path] == nil, "\(path) in two shards")
        union[path] = bytes
      }
      // Its requests: the account list (every shard needs it), then only its own accounts' data.
      let requests = servers[k].requests
      #expect(requests.filter { $0["path"] as? String == "/v1/accounts" }.count >= 1)
      let asked = Set(
        requests.filter { $0["path"] as? String != "/v1/accounts" }.map { ($0["account"] as? String) ?? "platform" })
      #expect(asked == owned, "shard \(k)/\(count) asked for \(asked.sorted())")
      let manifest = TestSupport.text(folder.file("dumps-\(k)") + "/fetch-manifest.json")
      #expect(manifest.contains("\"shard\" : \"\(k)/\(count)\""))
      #expect(outcomes[k].stderr.contains("shard \(k)/\(count) of the platform's accounts"))
    }
    #expect(union == wholeFiles, "the shards' dumps together differ from the unsharded fetch's")
    #expect(!TestSupport.text(folder.file("whole") + "/fetch-manifest.json").contains("\"shard\""))
    // `statements` reads the shards' folders together as it reads the unsharded one.
    let shardFolders = (0..<count).map { folder.file("dumps-\($0)") }
    #expect(
      try summary(shardFolders, folder.file("out-shards")) == summary([folder.file("whole")], folder.file("out-whole")))
  }

  /// The whole sharded pipeline on one shared volume: `fetch --shard K/3` into `dumps/shard-K-of-3/` (as `run
  /// --shard` lays it out), `statements dumps/ --shard K/3` (each shard opens only its own accounts' files), then
  /// `merge`: the statements one unsharded fetch and one unsharded `statements` give, file for file.
  @Test func shardedFetchThenShardedStatementsMergeToTheUnshardedStatements() throws {
    let folder = TestSupport.TemporaryFolder()
    let data = try source(folder)
    let server = try StripeTestServer(data: data, log: folder.file("api.log"))
    let common = ["--platform", "--all-accounts", "--api-base", server.base, "--max-rps", "500", "--no-progress"]
    let whole = try TestSupport.fetch(["--out", folder.file("whole")] + common)
    #expect(whole.status == 0, "\(whole.stderr)")
    let shared = folder.file("dumps")
    let outcomes = try fetchConcurrently(
      (0..<3).map { ["--out", shared + "/shard-\($0)-of-3", "--shard", "\($0)/3"] + common })
    for outcome in outcomes { #expect(outcome.status == 0, "\(outcome.stderr)") }

    let flags = ["--from", "2026-01-01", "--to", "2026-02-28", "--format", "csv,summary"]
    func statements(_ input: String, _ out: String, _ extra: [String] = []) throws {
      let run = try TestSupport.run(
        "treasury-report", ["statements", input, "--out", folder.file(out)] + flags + extra)
      #expect(run.status == 0, "\(out): \(run.stderr)")
    }
    try statements(folder.file("whole"), "from-whole")
    try statements(shared, "from-shared")
    for k in 0..<3 { try statements(shared, "s\(k)", ["--shard", "\(k)/3"]) }
    let merge = try TestSupport.run(
      "treasury-report",
      ["merge", folder.file("s0"), folder.file("s1"), folder.file("s2"), "--out", folder.file("merged")])
    #expect(merge.status == 0, "\(merge.stderr)")

    let merged = TestSupport.tree(folder.file("merged"))
    let fromShared = TestSupport.tree(folder.file("from-shared"))
    let fromWhole = TestSupport.tree(folder.file("from-whole"))
    #expect(merged.count > 10)
    // Statement files: the same bytes whichever way the dumps were fetched and the statements built.
    #expect(merged.filter { $0.key != "manifest.json" } == fromShared.filter { $0.key != "manifest.json" })
    #expect(fromShared.filter { $0.key != "manifest.json" } == fromWhole.filter { $0.key != "manifest.json" })
    // The merged manifest is the unsharded run's over the same inputs plus `merged_from`.
    func manifest(_ tree: [String: Data]) throws -> [String: Any] {
      try #require(try JSONSerialization.jsonObject(with: tree["manifest.json"] ?? Data()) as? [String: Any])
    }
    var mergedManifest = try manifest(merged)
    #expect(mergedManifest.removeValue(forKey: "merged_from") != nil)
    #expect(NSDictionary(dictionary: mergedManifest).isEqual(to: try manifest(fromShared)))
  }

  @Test func aShardSkipsThePlatformAndAccountsItDoesNotOwn() throws {
    let folder = TestSupport.TemporaryFolder()
    let data = try source(folder)
    let server = try StripeTestServer(data: data, log: folder.file("server.log"))
    // Of 2: acct_…1, 3, 5 and 7 are shard 1's, acct_…2 shard 0's (FNV-1a 64 modulo 2).
    #expect(Shard.index(of: "acct_1Gen00000001", count: 2) == 1)
    #expect(Shard.index(of: "acct_1Gen00000002", count: 2) == 0)
    let dumps = folder.file("dumps")
    let run = try TestSupport.fetch([
      "--out", dumps, "--api-base", server.base, "--shard", "1/2", "--platform", "--account", "acct_1Gen00000001",
      "--account", "acct_1Gen00000002", "--max-rps", "500", "--no-progress",
    ])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stderr.contains("--platform: the platform's own financial accounts belong to shard 0/2; skipped"))
    #expect(run.stderr.contains("--account acct_1Gen00000002 belongs to shard 0/2, not 1/2; skipped"))
    #expect(Set(TestSupport.dumpFiles(dumps).keys.map { String($0.split(separator: "/")[0]) }) == ["acct_1Gen00000001"])
    let asked = Set(server.requests.map { ($0["account"] as? String) ?? "platform" })
    #expect(asked == ["acct_1Gen00000001"])

    // A shard that owns nothing it was asked for fetches nothing and says why; it is not an error.
    let idle = try TestSupport.fetch([
      "--out", folder.file("idle"), "--api-base", server.base, "--shard", "0/2", "--account", "acct_1Gen00000001",
      "--no-progress",
    ])
    #expect(idle.status == 0, "\(idle.stderr)")
    #expect(idle.stderr.contains("--account acct_1Gen00000001 belongs to shard 1/2, not 0/2; skipped"))
    #expect(TestSupport.dumpFiles(folder.file("idle")).isEmpty)
    #expect(Set(server.requests.map { ($0["account"] as? String) ?? "platform" }) == ["acct_1Gen00000001"])
  }

  @Test func aDumpsFolderHoldsOneShard() throws {
    let folder = TestSupport.TemporaryFolder()
    let data = try TestSupport.smallFetchSource(in: folder)
    let server = try StripeTestServer(data: data, log: folder.file("server.log"))
    let dumps = folder.file("dumps")
    let common = ["--out", dumps, "--api-base", server.base, "--platform", "--all-accounts", "--no-progress"]
    let first = try TestSupport.fetch(common + ["--shard", "0/2"])
    #expect(first.status == 0, "\(first.stderr)")
    let before = TestSupport.tree(dumps)
    // Another shard, or an unsharded fetch, into the same folder is refused before it writes anything.
    let other = try TestSupport.fetch(common + ["--shard", "1/2"])
    #expect(other.status == 1)
    #expect(
      other.stderr.contains(
        "\(dumps) holds shard 0/2's accounts; shard 1/2 needs a dumps folder of its own: fetch into a new folder (one per shard, e.g. dumps-1-of-2)"
      ), "\(other.stderr)")
    let unsharded = try TestSupport.fetch(common)
    #expect(unsharded.status == 1)
    #expect(unsharded.stderr.contains("holds shard 0/2's accounts; an unsharded fetch needs a dumps folder of its own"))
    #expect(TestSupport.tree(dumps).filter { !$0.key.contains("/lock") } == before.filter { !$0.key.contains("/lock") })
    // The same shard again is an incremental run, as without --shard.
    let again = try TestSupport.fetch(common + ["--shard", "0/2"])
    #expect(again.status == 0, "\(again.stderr)")
    // A bad --shard is a usage error.
    let bad = try TestSupport.fetch(common + ["--shard", "2/2"])
    #expect(bad.status == 1)
    #expect(bad.stderr.contains("--shard takes K/N with 0 ≤ K < N"))
  }

  @Test func aKilledShardResumesToTheSameDumps() throws {
    let folder = TestSupport.TemporaryFolder()
    let data = try source(folder)
    let server = try StripeTestServer(data: data, log: folder.file("server.log"))
    let common = [
      "--platform", "--all-accounts", "--api-base", server.base, "--shard", "1/3", "--page-size", "10", "--max-rps",
      "500", "--concurrency", "1", "--no-progress",
    ]
    let dumps = folder.file("killed")
    let killed = try TestSupport.fetch(
      ["--out", dumps] + common, environment: ["TREASURY_REPORT_TEST_CRASH": "after-account-state"])
    #expect(
      killed.status == 9 || killed.status == 137 || killed.status == 128 + 9,
      "status \(killed.status): \(killed.stderr)")
    // The unfinished run is the shard's: another shard cannot take it over, the same shard finishes it.
    let other = try TestSupport.fetch(["--out", dumps] + common.map { $0 == "1/3" ? "2/3" : $0 })
    #expect(other.status == 1)
    let resumed = try TestSupport.fetch(["--out", dumps] + common)
    #expect(resumed.status == 0, "\(resumed.stderr)")
    let fresh = try TestSupport.fetch(["--out", folder.file("fresh")] + common)
    #expect(fresh.status == 0, "\(fresh.stderr)")
    #expect(!TestSupport.dumpFiles(dumps).isEmpty)
    #expect(TestSupport.dumpFiles(dumps) == TestSupport.dumpFiles(folder.file("fresh")))
  }

  @Test func shardsShareThePlatformsRateLimit() throws {
    // Stripe's limit is per platform: by default each of N shards keeps to 1/N of it; --max-rps overrides.
    var options = FetchOptions(output: "/unused")
    #expect(options.requestsPerSecond(for: .live) == 90)
    #expect(options.requestsPerSecond(for: .test) == 20)
    options.shard = try #require(Shard("1/4"))
    #expect(options.requestsPerSecond(for: .live) == 22.5)
    #expect(options.requestsPerSecond(for: .test) == 5)
    options.maxRequestsPerSecond = 30
    #expect(options.requestsPerSecond(for: .live) == 30)

    // What the run uses is what it says on stderr (the test server's key is a test-mode key: 20 requests/s).
    let folder = TestSupport.TemporaryFolder()
    let data = try TestSupport.smallFetchSource(in: folder)
    let server = try StripeTestServer(data: data, log: folder.file("server.log"))
    let split = try TestSupport.fetch([
      "--out", folder.file("a"), "--api-base", server.base, "--account", "acct_1Gen00000001", "--shard", "1/8",
      "--no-progress",
    ])
    #expect(split.status == 0, "\(split.stderr)")
    #expect(
      split.stderr.contains(
        "shard 1/8 of the platform's accounts: at most 2.50 requests/s (the platform's 20 shared by 8 shards; --max-rps sets it)"
      ),
      "\(split.stderr)")
    let explicit = try TestSupport.fetch([
      "--out", folder.file("b"), "--api-base", server.base, "--account", "acct_1Gen00000001", "--shard", "1/8",
      "--max-rps", "40", "--no-progress",
    ])
    #expect(explicit.status == 0, "\(explicit.stderr)")
    #expect(explicit.stderr.contains("shard 1/8 of the platform's accounts: at most 40 requests/s (--max-rps)"))
    let whole = try TestSupport.fetch([
      "--out", folder.file("c"), "--api-base", server.base, "--account", "acct_1Gen00000001", "--no-progress",
    ])
    #expect(!whole.stderr.contains("requests/s"))
  }
}
