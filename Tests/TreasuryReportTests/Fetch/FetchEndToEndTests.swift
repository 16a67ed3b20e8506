import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `fetch` against a real local Stripe-like server: faults, kills, incremental runs, then `statements` on the result.
@Suite(.serialized, .enabled(if: ExternalTool.available(ExternalTool.python3), "needs python3"))
struct FetchEndToEndTests {
  /// Generated source data: the platform and two connected accounts.
  private func source(_ folder: TestSupport.TemporaryFolder, seed: Int = 17) throws -> String {
    let data = folder.file("source")
    try TestSupport.generateWithPlatform(
      into: data, ["--accounts", "3", "--months", "3", "--transactions-per-month", "25", "--seed", String(seed)])
    return data
  }

  private func summary(_ input: String, _ folder: TestSupport.TemporaryFolder, _ name: String) throws -> String {
    let out = folder.file(name)
    let run = try TestSupport.run("treasury-report", ["statements", input, "--out", out, "--format", "summary"])
    #expect(run.status == 0, "\(run.stderr)")
    return TestSupport.text(out + "/summary.csv")
  }

  private func manifest(_ dumps: String) -> [String: Any] {
    let data = FileManager.default.contents(atPath: dumps + "/fetch-manifest.json") ?? Data()
    return (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
  }

  private func totals(_ dumps: String) -> [String: Int] {
    (manifest(dumps)["totals"] as? [String: Any] ?? [:]).compactMapValues { $0 as? Int }
  }

  @Test func fetchThroughFaultsGivesTheSourceStatements() throws {
    let folder = TestSupport.TemporaryFolder()
    let data = try source(folder)
    let server = try StripeTestServer(
      data: data,
      [
        "--seed", "5", "--p429", "0.08", "--p500", "0.08", "--pdrop", "0.04", "--ptruncate", "0.04", "--pslow",
        "0.03", "--slow", "3",
      ], log: folder.file("server.log"))
    let dumps = folder.file("dumps")
    let started = Date()
    let run = try TestSupport.fetch([
      "--out", dumps, "--platform", "--all-accounts", "--api-base", server.base, "--page-size", "7", "--timeout", "1.5",
      "--max-rps", "200", "--no-progress",
    ])
    let seconds = Date().timeIntervalSince(started)
    #expect(run.status == 0, "\(run.stderr)")
    #expect(try summary(dumps, folder, "out-fetched") == summary(data, folder, "out-source"))

    let requests = server.requests
    var faults: [String: Int] = [:]
    for r in requests { if let f = r["fault"] as? String { faults[f, default: 0] += 1 } }
    for kind in ["429", "500", "drop", "truncate", "slow"] {
      #expect(faults[kind, default: 0] > 0, "no \(kind) injected")
    }
    let t = totals(dumps)
    // Every fault costs a retry (libcurl itself may silently resend a request whose reused connection was dropped).
    let retriable = faults.filter { $0.key != "drop" }.values.reduce(0, +)
    #expect((t["retries"] ?? 0) >= retriable)
    // Every request of a successful run ends in exactly one fault-free 200 (a slow answer is logged as 200 after
    // the client gave up, so it carries its fault); a request that pages nothing (a retrieve) is still one.
    let answered = requests.filter { $0["status"] as? Int == 200 && $0["fault"] is NSNull }.count
    #expect((t["requests"] ?? 0) - (t["retries"] ?? 0) == answered, "\(t) vs \(answered) fault-free answers")
    #expect((t["pages"] ?? 0) <= answered)
    // Every request pinned the version; connected accounts were named by header, the platform by none.
    #expect(requests.allSatisfy { $0["version"] as? String == "2026-07-29.dahlia" })
    let accounts = Set(requests.compactMap { $0["account"] as? String })
    #expect(accounts == ["acct_1Gen00000001", "acct_1Gen00000002"])
    #expect(requests.contains { $0["account"] is NSNull && ($0["path"] as? String)?.contains("treasury") == true })
    print(
      "fault-injected fetch: \(t["requests"] ?? 0) requests, \(t["retries"] ?? 0) retries, \(t["objects"] ?? 0) objects in \(String(format: "%.1f", seconds)) s; faults \(faults.sorted { $0.key < $1.key })"
    )
  }

  @Test func dumpsAreGzipJSONLinesThatIndependentToolsRead() throws {
    let folder = TestSupport.TemporaryFolder()
    let data = try source(folder, seed: 3)
    let server = try StripeTestServer(data: data, log: folder.file("server.log"))
    let dumps = folder.file("dumps")
    let run = try TestSupport.fetch([
      "--out", dumps, "--platform", "--account", "acct_1Gen00000002", "--api-base", server.base, "--max-rps", "500",
    ])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(
      Set(TestSupport.dumpFiles(dumps).keys) == [
        "platform/financial_accounts.jsonl.gz", "platform/transactions.jsonl.gz",
        "platform/transaction_entries.jsonl.gz", "acct_1Gen00000002/financial_accounts.jsonl.gz",
        "acct_1Gen00000002/transactions.jsonl.gz", "acct_1Gen00000002/transaction_entries.jsonl.gz",
      ])
    // gzip and Python read every file back: one JSON object per line, each id once, as many as the manifest says.
    let check = try TestSupport.run(
      "/usr/bin/env",
      [
        "python3", "-c",
        """
        import gzip, json, sys, glob
        m = json.load(open(sys.argv[1] + "/fetch-manifest.json"))
        for a in m["accounts"]:
            for name, stats in a["lists"].items():
                lines = gzip.open("%s/%s/%s.jsonl.gz" % (sys.argv[1], a["folder"], name)).read().decode().splitlines()
                ids = [json.loads(l)["id"] for l in lines]
                assert len(ids) == len(set(ids)) == stats["objects"], (a["folder"], name)
                print(a["folder"], name, len(ids))
        """, dumps,
      ])
    #expect(check.status == 0, "\(check.stderr)")
    #expect(check.stdout.split(separator: "\n").count == 6)
    let gzipTest = try TestSupport.run("/usr/bin/env", ["gzip", "-t", dumps + "/platform/transactions.jsonl.gz"])
    #expect(gzipTest.status == 0)
    // The manifest pins the version and never holds the key; no file in DUMPS does.
    let manifest = TestSupport.text(dumps + "/fetch-manifest.json")
    #expect(manifest.contains("\"stripe_version\" : \"2026-07-29.dahlia\""))
    for (path, bytes) in TestSupport.tree(dumps) {
      #expect(!String(decoding: bytes, as: UTF8.self).contains(StripeTestServer.key), "\(path) holds the key")
    }
  }

  @Test func killedFetchResumesToTheSameDumps() throws {
    let folder = TestSupport.TemporaryFolder()
    let data = try source(folder, seed: 8)
    let server = try StripeTestServer(data: data, ["--delay", "0.01"], log: folder.file("server.log"))
    let common = ["--platform", "--all-accounts", "--api-base", server.base, "--page-size", "5", "--max-rps", "500"]
    let whole = try TestSupport.fetch(["--out", folder.file("whole")] + common)
    #expect(whole.status == 0, "\(whole.stderr)")
    let wholeRequests = server.requests.count

    let dumps = folder.file("killed")
    let runFolder = dumps + "/.fetch-state/run"
    var kills = 0
    for parts in [2, 12, 30, 55, 80] {
      let process = Process()
      process.executableURL = TestSupport.binaries.appendingPathComponent("treasury-report")
      process.arguments = ["fetch", "--out", dumps] + common
      process.environment = ["STRIPE_API_KEY": StripeTestServer.key]
      process.standardError = FileHandle.nullDevice
      try process.run()
      let deadline = Date().addingTimeInterval(30)
      while process.isRunning && Date() < deadline {
        let count = (FileManager.default.enumerator(atPath: runFolder)?.allObjects as? [String] ?? [])
          .filter { $0.hasSuffix(".part") }.count
        if count >= parts { break }
        usleep(2000)
      }
      if process.isRunning {
        kill(process.processIdentifier, SIGKILL)
        kills += 1
      }
      process.waitUntilExit()
    }
    #expect(kills >= 3, "the fetch finished before it could be killed")
    let resumed = try TestSupport.fetch(["--out", dumps] + common)
    #expect(resumed.status == 0, "\(resumed.stderr)")
    let a = TestSupport.dumpFiles(folder.file("whole"))
    let b = TestSupport.dumpFiles(dumps)
    #expect(a.count == 9)
    #expect(a == b, "a killed and resumed fetch wrote other dumps than an uninterrupted one")
    #expect(!FileManager.default.fileExists(atPath: runFolder))
    #expect(!TestSupport.tree(dumps).keys.contains { $0.hasSuffix(".tmp") })
    // Resuming continued from checkpoints: at most a few pages per kill were asked for again.
    let killedRequests = server.requests.count - wholeRequests
    #expect(killedRequests <= wholeRequests + kills * 8, "\(killedRequests) requests vs \(wholeRequests)")
    #expect(try summary(dumps, folder, "out-killed") == summary(data, folder, "out-source"))
  }

  @Test(arguments: ["after-dump-files", "after-account-state", "before-run-removal"])
  func killedWhileCommittingResumesToTheSameDumps(point: String) throws {
    let folder = TestSupport.TemporaryFolder()
    let data = try source(folder, seed: 9)
    // Mid-way data first, so that the killed commit is an incremental one with settled transactions to merge.
    let before = try StripeTestServer(
      data: data, ["--as-of", "1771113600", "--now", "1771113600"], log: folder.file("a.log"))
    let after = try StripeTestServer(data: data, ["--now", "1775088000"], log: folder.file("b.log"))
    let common = ["--platform", "--all-accounts", "--page-size", "10", "--max-rps", "500", "--concurrency", "1"]
    let dumps = folder.file("dumps")
    #expect(try TestSupport.fetch(["--out", dumps, "--api-base", before.base] + common).status == 0)
    let killed = try TestSupport.fetch(
      ["--out", dumps, "--api-base", after.base] + common, environment: ["TREASURY_REPORT_TEST_CRASH": point])
    #expect(killed.status == 9 || killed.status == 137 || killed.status == 128 + 9, "status \(killed.status)")
    // Settled: a handler of the killed run's last request can log after the kill, and would count as resumed.
    let killedRequests = after.settledRequests()
    let resumed = try TestSupport.fetch(["--out", dumps, "--api-base", after.base] + common)
    #expect(resumed.status == 0, "\(resumed.stderr)")
    #expect(!resumed.stderr.contains("fetching everything again"))
    let resumedRequests = after.requests.dropFirst(killedRequests.count)
    // It went on from the checkpoints: nothing the killed run had fetched (its accounts, the discovery) was asked
    // for again; a run that started over, even an incremental one, would list those accounts' windows again.
    func accounts(_ requests: some Sequence<[String: Any]>) -> Set<String> {
      // The discovery (GET /v1/accounts) is the platform's request too, but not its data: the tasks for the
      // accounts take the one slot in whatever order they are scheduled, so the killed run may have listed the
      // accounts and committed acct_1 before the platform's data, which the resumed run then fetches.
      Set(
        requests.map {
          ($0["account"] as? String) ?? ($0["path"] as? String == "/v1/accounts" ? "discovery" : "platform")
        })
    }
    #expect(!killedRequests.isEmpty)
    func platformPaths(_ requests: some Sequence<[String: Any]>) -> [String] {
      requests.filter { $0["account"] as? String == nil }.map { ($0["path"] as? String) ?? "?" }
    }
    #expect(
      accounts(resumedRequests).isDisjoint(with: accounts(killedRequests)),
      "\(point): killed \(platformPaths(killedRequests)), resumed \(platformPaths(resumedRequests))")
    if point == "before-run-removal" { #expect(resumedRequests.isEmpty, "every account was committed") }
    let fresh = folder.file("fresh")
    #expect(try TestSupport.fetch(["--out", fresh, "--api-base", after.base] + common).status == 0)
    #expect(TestSupport.dumpFiles(dumps) == TestSupport.dumpFiles(fresh))
    #expect(try summary(dumps, folder, "out-resumed") == summary(data, folder, "out-source"))
  }

  @Test func incrementalRunEqualsAFreshFullFetch() throws {
    let folder = TestSupport.TemporaryFolder()
    let data = try source(folder, seed: 11)
    // 2026-02-15T00:00Z, mid-way: objects after it are new, and open transactions settle after it.
    let middle = "1771113600"
    let end = "1775088000"
    let before = try StripeTestServer(data: data, ["--as-of", middle, "--now", middle], log: folder.file("a.log"))
    let after = try StripeTestServer(data: data, ["--now", end], log: folder.file("b.log"))
    let common = ["--platform", "--all-accounts", "--page-size", "10", "--max-rps", "500"]
    let dumps = folder.file("incremental")

    let first = try TestSupport.fetch(["--out", dumps, "--api-base", before.base] + common)
    #expect(first.status == 0, "\(first.stderr)")
    let firstStatements = try TestSupport.run(
      "treasury-report", ["statements", dumps, "--out", folder.file("out-first"), "--format", "summary"])
    #expect(firstStatements.status == 0, "the mid-way dump reconciles: \(firstStatements.stderr)")
    let openBefore = try TestSupport.run(
      "/usr/bin/env",
      [
        "python3", "-c",
        "import gzip,json,sys,glob;print(sum(1 for f in glob.glob(sys.argv[1]+'/*/transactions.jsonl.gz') for l in gzip.open(f) if json.loads(l)['status']=='open'))",
        dumps,
      ])
    #expect((Int(openBefore.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > 0)

    let second = try TestSupport.fetch(["--out", dumps, "--api-base", after.base] + common)
    #expect(second.status == 0, "\(second.stderr)")
    let incrementalFetched = totals(dumps)["fetched"] ?? 0
    let secondRunCount = after.requests.count
    let fresh = folder.file("fresh")
    let full = try TestSupport.fetch(["--out", fresh, "--api-base", after.base] + common)
    #expect(full.status == 0, "\(full.stderr)")

    #expect(TestSupport.dumpFiles(dumps) == TestSupport.dumpFiles(fresh))
    #expect(try summary(dumps, folder, "out-incremental") == summary(data, folder, "out-source"))
    // The second run asked only for what is new (a window) and re-read the transactions that were open.
    #expect(incrementalFetched < totals(fresh)["fetched"] ?? 0)
    let secondRun = after.requests.prefix(secondRunCount)
    #expect(!secondRun.isEmpty)
    let windowed = secondRun.filter {
      ($0["path"] as? String) == "/v1/treasury/transaction_entries"
        && (($0["query"] as? [[String]]) ?? []).contains { $0.first == "created[gte]" }
    }
    #expect(!windowed.isEmpty)
    #expect(secondRun.contains { ($0["path"] as? String)?.hasPrefix("/v1/treasury/transactions/trxn_") == true })
  }
}

/// A fetch while the data changes under it (transactions settle between the transactions and entries lists).
@Suite(.serialized, .enabled(if: ExternalTool.available(ExternalTool.python3), "needs python3"))
struct FetchMovingDataTests {
  @Test func dumpFetchedWhileMoneyMovesStillReconciles() throws {
    let folder = TestSupport.TemporaryFolder()
    let data = folder.file("source")
    try TestSupport.generateWithPlatform(
      into: data, ["--accounts", "3", "--months", "3", "--transactions-per-month", "60", "--seed", "23"])
    // From mid-February, two simulated days pass per real second of the fetch.
    let server = try StripeTestServer(
      data: data, ["--as-of", "1771113600", "--now", "1771113600", "--advance", "172800", "--delay", "0.01"],
      log: folder.file("server.log"))
    let dumps = folder.file("dumps")
    let run = try TestSupport.fetch([
      "--out", dumps, "--platform", "--all-accounts", "--api-base", server.base, "--page-size", "10",
      "--max-rps", "200", "--concurrency", "1",
    ])
    #expect(run.status == 0, "\(run.stderr)")
    let report = folder.file("report.json")
    let statements = try TestSupport.run(
      "treasury-report",
      ["statements", dumps, "--out", folder.file("out"), "--format", "summary", "--report-json", report])
    let json =
      (try? JSONSerialization.jsonObject(with: FileManager.default.contents(atPath: report) ?? Data()))
      as? [String: Any] ?? [:]
    // Statements reconcile, and every transaction agrees with its entries; only a reported balance, read
    // at another instant than the entries, may differ (fetch notes it).
    #expect((json["unreconciled"] as? [Any])?.isEmpty == true, "\(statements.stderr)")
    let checks = (json["checks"] as? [[String: Any]]) ?? []
    #expect(checks.allSatisfy { $0["check"] as? String == "reported_balance" }, "\(checks)")
    // The data did move during the fetch: some transactions were re-read, some settled since they were listed.
    let rereads = server.requests.filter { ($0["path"] as? String)?.hasPrefix("/v1/treasury/transactions/") == true }
    #expect(!rereads.isEmpty)
  }
}
