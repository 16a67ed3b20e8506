import Foundation
import Testing

/// `run --config` end to end on simulated months: the bundled dumps (January to March 2026), then the same dumps
/// with later data (an April credit and a late February credit reported in April).
@Suite struct RunEndToEndTests {
  /// A test's dumps, config, target and working folder.
  final class Setup {
    let folder = TestSupport.TemporaryFolder()
    var dumps: String { folder.file("dumps") }
    var target: String { folder.file("target") }
    var config: String { folder.file("run.yaml") }

    init(extra: String = "", storage: String = "{url: target}") throws {
      try FileManager.default.copyItem(atPath: TestSupport.samples, toPath: dumps)
      folder.write(
        "run.yaml",
        """
        source: {dumps: [dumps]}
        formats: [csv, camt053, ofx]
        storage: \(storage)
        settle_window: 3d
        work_folder: work
        \(extra)
        """)
    }

    /// Adds the later data: a credit on 5 April, and a credit posted 15 February that arrives on 5 April.
    func addLaterData() {
      let account = dumps + "/acct_1NbQxRk2Lp7tYz01/"
      let april: Int64 = 1_775_347_200  // 2026-04-05T00:00:00Z
      let february: Int64 = 1_771_113_600  // 2026-02-15T00:00:00Z
      var transactions = TestSupport.text(account + "transactions.jsonl")
      var entries = TestSupport.text(account + "transaction_entries.jsonl")
      for (id, created, effective, amount) in [
        ("trxn_1NwLateFebCredit01", april + 3600, february, 5_000), ("trxn_1NwAprilCredit0001", april, april, 12_300),
      ] {
        transactions +=
          "{\"id\":\"\(id)\",\"object\":\"treasury.transaction\",\"amount\":\(amount),\"balance_impact\":{\"cash\":\(amount),\"inbound_pending\":0,\"outbound_pending\":0},\"created\":\(created),\"currency\":\"usd\",\"description\":\"Late credit\",\"entries\":null,\"financial_account\":\"fa_1NorthwindOps000001\",\"flow\":\"rc_\(id.dropFirst(5))\",\"flow_details\":null,\"flow_type\":\"received_credit\",\"livemode\":false,\"status\":\"posted\",\"status_transitions\":{\"posted_at\":\(effective),\"void_at\":null}}\n"
        entries +=
          "{\"id\":\"trxne_\(id.dropFirst(5))E1\",\"object\":\"treasury.transaction_entry\",\"balance_impact\":{\"cash\":\(amount),\"inbound_pending\":0,\"outbound_pending\":0},\"created\":\(created),\"currency\":\"usd\",\"effective_at\":\(effective),\"financial_account\":\"fa_1NorthwindOps000001\",\"flow\":\"rc_\(id.dropFirst(5))\",\"flow_details\":null,\"flow_type\":\"received_credit\",\"livemode\":false,\"transaction\":\"\(id)\",\"type\":\"received_credit\"}\n"
      }
      _ = FileManager.default.createFile(atPath: account + "transactions.jsonl", contents: Data(transactions.utf8))
      _ = FileManager.default.createFile(atPath: account + "transaction_entries.jsonl", contents: Data(entries.utf8))
    }

    func run(
      _ arguments: [String] = [], crash: String? = nil, environment extra: [String: String] = [:]
    ) throws -> TestSupport.Run {
      var environment = ProcessInfo.processInfo.environment.merging(extra) { $1 }
      if let crash { environment["TREASURY_REPORT_TEST_CRASH"] = crash }
      return try TestSupport.run(
        "treasury-report", ["run", "--config", config] + arguments, cwd: folder.path, environment: environment)
    }

    /// The target's files, with the `run` ids of the index masked and run records left out (they name the run).
    func published() -> [String: String] {
      var files: [String: String] = [:]
      for (path, data) in TestSupport.tree(target) where !path.hasPrefix("runs/") {
        // Archives as base64, so a changed byte cannot hide in a lossy decoding.
        var text = path.hasSuffix(".gz") ? data.base64EncodedString() : String(decoding: data, as: UTF8.self)
        if path == "index.jsonl" {
          text = text.replacingOccurrences(of: #""run":"[^"]*""#, with: #""run":"…""#, options: .regularExpression)
        }
        files[path] = text
      }
      return files
    }

    func index() -> [[String: Any]] {
      TestSupport.text(target + "/index.jsonl").split(separator: "\n").compactMap {
        try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
      }
    }
  }

  static let accounts = ["fa_1BlueHarborMain0002", "fa_1NorthwindOps000001", "fa_1PlatformTreasury01"]

  @Test func monthsArePublishedOnceAndALateEntryIsRestated() throws {
    let setup = try Setup()
    let first = try setup.run()
    #expect(first.status == 0, "\(first.stderr)")
    // As of the last activity (1 April), January and February are final; March is provisional.
    let files = setup.published()
    for month in ["2026-01", "2026-02"] {
      for account in Self.accounts {
        for name in [
          "transactions.csv", "pending.csv", "entries.csv", "statement.camt053.xml", "statement.ofx",
          "statement.tar.gz",
          "statement.json",
        ] {
          #expect(files["\(month)/\(account)/usd/v1/\(name)"] != nil, "\(month)/\(account)/usd/v1/\(name)")
        }
      }
    }
    #expect(!files.keys.contains { $0.hasPrefix("2026-03") || $0.hasPrefix("provisional/") })
    #expect(FileManager.default.fileExists(atPath: setup.folder.file("work")))
    #expect(setup.index().count == 6)
    #expect(Set(setup.index().map { $0["status"] as? String }) == ["final"])
    #expect(!FileManager.default.fileExists(atPath: setup.target + "/lock.json"))
    let records = try FileManager.default.contentsOfDirectory(atPath: setup.target + "/runs")
    #expect(records.count == 1)
    let record =
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: URL(fileURLWithPath: setup.target + "/runs/" + records[0]))) as? [String: Any]
    #expect((record?["published"] as? [String])?.count == 6)
    #expect((record?["provisional"] as? [String])?.count == 3)
    #expect(record?["as_of"] as? String == "2026-04-01T01:00:00Z")

    // The same dumps again: nothing is published, the index does not grow.
    let index = TestSupport.text(setup.target + "/index.jsonl")
    let again = try setup.run()
    #expect(again.status == 0, "\(again.stderr)")
    #expect(again.stderr.contains("published 0 statement versions, 6 unchanged"))
    #expect(setup.published() == files)
    #expect(TestSupport.text(setup.target + "/index.jsonl") == index)

    // Later data: March becomes final (as of 5 April), and February's Northwind statement is restated.
    setup.addLaterData()
    let later = try setup.run(["--report-json", setup.folder.file("report.json")])
    #expect(later.status == 6, "\(later.stderr)")
    #expect(later.stderr.contains("RESTATEMENT: 2026-02/fa_1NorthwindOps000001/usd/v2"))
    let now = setup.published()
    for account in Self.accounts { #expect(now["2026-03/\(account)/usd/v1/statement.json"] != nil) }
    // v1 is kept as it was; v2 sits beside it with the restatement.
    for (path, text) in files where path != "index.jsonl" { #expect(now[path] == text, "\(path) changed") }
    let restatement = TestSupport.csv(now["2026-02/fa_1NorthwindOps000001/usd/v2/restatement.csv"] ?? "")
    #expect(restatement.first == ["change", "item", "old", "new"])
    let changes = restatement.dropFirst().map { [$0[0], $0[1]] }
    #expect(changes.contains(["summary", "credits"]))
    #expect(changes.contains(["summary", "closing_cash"]))
    #expect(changes.contains(["booked_line_added", "trxn_1NwLateFebCredit01"]))
    #expect(!changes.contains { $0[0] == "booked_line_removed" || $0[0] == "booked_line_changed" })
    let credits = restatement.first { $0.count == 4 && $0[1] == "credits" }
    if let credits, let old = Double(credits[2]), let new = Double(credits[3]) { #expect(new - old == 50) }
    // Only Northwind's February changed: the other statements of February and January stay at v1.
    #expect(!now.keys.contains { $0.contains("/v2/") && !$0.hasPrefix("2026-02/fa_1NorthwindOps000001/") })
    let lines = setup.index()
    let v2 = lines.first { $0["period"] as? String == "2026-02" && $0["version"] as? Int == 2 }
    #expect(v2?["restates"] as? Int == 1)
    #expect(v2?["status"] as? String == "final")
    let restated = lines.last {
      $0["period"] as? String == "2026-02" && $0["financial_account"] as? String == "fa_1NorthwindOps000001"
        && $0["version"] as? Int == 1
    }
    #expect(restated?["status"] as? String == "restated")
    #expect(restated?["restated_by"] as? Int == 2)
    #expect(TestSupport.text(setup.target + "/index.jsonl").hasPrefix(index))
    let report =
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: setup.folder.file("report.json"))))
      as? [String: Any]
    #expect(report?["exit_code"] as? Int == 6)
    #expect((report?["restated"] as? [String]) == ["2026-02/fa_1NorthwindOps000001/usd/v2"])

    // And again: the restatement is not reported twice.
    let settled = try setup.run()
    #expect(settled.status == 0, "\(settled.stderr)")
    #expect(setup.published() == now)
  }

  /// Domain rule: a transaction open at a final period's end that posts later changes the period it posts in,
  /// not the final statement.
  @Test func anOpenTransactionThatPostsLaterIsNotARestatement() throws {
    let setup = try Setup()
    // As of 5 April, March is final, with the payroll payment open at its end.
    let first = try setup.run(["--as-of", "2026-04-05T00:00:00Z"])
    #expect(first.status == 0, "\(first.stderr)")
    let before = setup.published()
    let pending = before["2026-03/fa_1NorthwindOps000001/usd/v1/pending.csv"] ?? ""
    #expect(pending.contains("trxn_1NwOutPayOpen000001"))
    // It posts on 6 April: a later state of the transaction and its posting entry.
    let account = setup.dumps + "/acct_1NbQxRk2Lp7tYz01/"
    let posted: Int64 = 1_775_433_600
    let transactions = TestSupport.text(account + "transactions.jsonl")
    let open = try #require(
      transactions.split(separator: "\n").first { $0.contains("\"id\":\"trxn_1NwOutPayOpen000001\"") })
    let later = open.replacingOccurrences(of: "\"status\":\"open\"", with: "\"status\":\"posted\"")
      .replacingOccurrences(of: "\"posted_at\":null", with: "\"posted_at\":\(posted)")
      .replacingOccurrences(
        of: "\"balance_impact\":{\"cash\":-4200,\"inbound_pending\":0,\"outbound_pending\":4200}",
        with: "\"balance_impact\":{\"cash\":-4200,\"inbound_pending\":0,\"outbound_pending\":0}")
    _ = FileManager.default.createFile(
      atPath: account + "transactions.jsonl", contents: Data((transactions + later + "\n").utf8))
    let entry =
      "{\"id\":\"trxne_1NwOutPayOpen000001E24\",\"object\":\"treasury.transaction_entry\",\"balance_impact\":{\"cash\":0,\"inbound_pending\":0,\"outbound_pending\":-4200},\"created\":\(posted),\"currency\":\"usd\",\"effective_at\":\(posted),\"financial_account\":\"fa_1NorthwindOps000001\",\"flow\":\"obp_1NwOutPayOpen000001\",\"flow_details\":null,\"flow_type\":\"outbound_payment\",\"livemode\":false,\"transaction\":\"trxn_1NwOutPayOpen000001\",\"type\":\"outbound_payment_posting\"}\n"
    _ = FileManager.default.createFile(
      atPath: account + "transaction_entries.jsonl",
      contents: Data((TestSupport.text(account + "transaction_entries.jsonl") + entry).utf8))
    let after = try setup.run()
    #expect(after.status == 0, "\(after.stderr)")
    #expect(after.stderr.contains("as of 2026-04-06T00:00:00Z"))
    #expect(after.stderr.contains("0 restatements"))
    #expect(setup.published().filter { $0.key != "index.jsonl" } == before.filter { $0.key != "index.jsonl" })
  }

  @Test func dryRunWritesNothing() throws {
    let setup = try Setup()
    let dry = try setup.run(["--dry-run"])
    #expect(dry.status == 0, "\(dry.stderr)")
    #expect(dry.stderr.contains("would publish 6 statement versions"))
    #expect(TestSupport.tree(setup.target).isEmpty)
  }

  @Test func provisionalStatementsGoUnderProvisionalOnlyWhenAsked() throws {
    let setup = try Setup(extra: "publish_provisional: true")
    let result = try setup.run()
    #expect(result.status == 0, "\(result.stderr)")
    let files = setup.published()
    #expect(files["provisional/2026-03/fa_1NorthwindOps000001/usd/transactions.csv"] != nil)
    #expect(!files.keys.contains { $0.hasPrefix("2026-03/") })
    // Replaced by the next run, never versioned.
    #expect(try setup.run().status == 0)
    #expect(setup.index().allSatisfy { $0["period"] as? String != "2026-03" })
  }

  @Test func aLockHeldByALiveRunRefusesWithSevenAndAStaleOneIsBroken() throws {
    let setup = try Setup()
    try FileManager.default.createDirectory(atPath: setup.target, withIntermediateDirectories: true)
    let host = ProcessInfo.processInfo.hostName
    // This test's own process: alive, on this host.
    let lock = setup.folder.write(
      "target/lock.json",
      "{\"run\":\"20260402T063000Z-abcdef\",\"host\":\"\(host)\",\"pid\":\(getpid()),\"since\":\"2026-04-02T06:30:00Z\"}"
    )
    let refused = try setup.run()
    #expect(refused.status == 7, "\(refused.stderr)")
    #expect(
      refused.stderr.contains(
        "another run holds the lock: run 20260402T063000Z-abcdef (host \(host), pid \(getpid())), since 2026-04-02T06:30:00Z"
      ))
    #expect(refused.stderr.contains("--break-lock"))
    #expect(!FileManager.default.fileExists(atPath: setup.target + "/index.jsonl"))
    #expect(FileManager.default.fileExists(atPath: lock))
    // Older than lock_max_age (6h): --break-lock breaks it and says so.
    let broken = try setup.run(["--break-lock"])
    #expect(broken.status == 0, "\(broken.stderr)")
    #expect(broken.stderr.contains("broke the lock of run 20260402T063000Z-abcdef"))
    #expect(!FileManager.default.fileExists(atPath: lock))
    // A lock of a process of this host that is gone is broken without asking.
    setup.folder.write(
      "target/lock.json",
      "{\"run\":\"dead\",\"host\":\"\(host)\",\"pid\":2147483000,\"since\":\"2026-04-02T06:30:00Z\"}")
    let dead = try setup.run()
    #expect(dead.status == 0, "\(dead.stderr)")
    #expect(dead.stderr.contains("that process is gone"))
  }

  @Test func twoConcurrentRunsOneRefuses() throws {
    let setup = try Setup()
    // The first run is held right after taking the lock, alive; the second starts meanwhile.
    let pause = setup.folder.file("paused")
    let first = try RunningProcess(
      "/usr/bin/env",
      [
        "TREASURY_REPORT_TEST_PAUSE=run-after-lock", "TREASURY_REPORT_TEST_PAUSE_FILE=\(pause)",
        TestSupport.binaries.appendingPathComponent("treasury-report").path, "run", "--config", setup.config,
      ], cwd: setup.folder.path)
    #expect(RunningProcess.eventually { FileManager.default.fileExists(atPath: pause) })
    let second = try setup.run()
    #expect(second.status == 7, "\(second.stderr)")
    #expect(second.stderr.contains("another run holds the lock: run "))
    #expect(second.stderr.contains("pid \(first.pid)), since "))
    #expect(!FileManager.default.fileExists(atPath: setup.target + "/index.jsonl"))
    // The first goes on and publishes; the refused one left nothing in the target or the working folder.
    try FileManager.default.removeItem(atPath: pause)
    let outcome = first.wait()
    #expect(outcome?.status == 0, "\(first.stderr)")
    #expect(setup.index().count == 6)
    #expect(try FileManager.default.contentsOfDirectory(atPath: setup.target + "/runs").count == 1)
    #expect(try FileManager.default.contentsOfDirectory(atPath: setup.folder.file("work")).count == 1)
  }

  /// A run killed between any two steps, then run again, leaves the target an uninterrupted run leaves.
  @Test(arguments: [
    "run-after-lock", "run-after-build", "run-after-version-files", "run-before-index", "run-after-index",
    "run-before-unlock",
  ])
  func killedRunIsFinishedByTheNext(point: String) throws {
    let reference = try Setup()
    #expect(try reference.run().status == 0)
    reference.addLaterData()
    #expect(try reference.run().status == 6)

    let setup = try Setup()
    #expect(try setup.run().status == 0)
    setup.addLaterData()
    let killed = try setup.run(crash: point)
    #expect(killed.status == 9 || killed.status == 137, "\(point): \(killed.status) \(killed.stderr)")
    let rerun = try setup.run()
    // The restatement is reported by the run that indexes it: the killed one when it got that far.
    let indexed = ["run-after-index", "run-before-unlock"].contains(point)
    #expect(rerun.status == (indexed ? 0 : 6), "\(point): \(rerun.stderr)")
    // The killed run's lock was broken (same host, process gone) and said.
    #expect(rerun.stderr.contains("that process is gone"), "\(point)")
    #expect(setup.published() == reference.published(), "\(point)")
    #expect(!FileManager.default.fileExists(atPath: setup.target + "/lock.json"))
  }

  /// A version a killed run left half-written, whose content the data then changed, is never completed with
  /// other bytes nor indexed: the next run publishes the next number and says so.
  @Test func aHalfWrittenVersionWhoseDataChangedIsLeftAndTheNextNumberUsed() throws {
    let setup = try Setup()
    #expect(try setup.run().status == 0)
    setup.addLaterData()
    let killed = try setup.run(crash: "run-after-version-files")
    #expect(killed.status == 9 || killed.status == 137)
    let half = setup.target + "/2026-02/fa_1NorthwindOps000001/usd/v2"
    #expect(FileManager.default.fileExists(atPath: half + "/transactions.csv"))
    #expect(!FileManager.default.fileExists(atPath: half + "/statement.json"))
    // One more late February credit arrives before the next run.
    let account = setup.dumps + "/acct_1NbQxRk2Lp7tYz01/"
    for name in ["transactions.jsonl", "transaction_entries.jsonl"] {
      let text = TestSupport.text(account + name)
      let late = text.split(separator: "\n").filter { $0.contains("1NwLateFebCredit01") }
        .map { $0.replacingOccurrences(of: "1NwLateFebCredit01", with: "1NwLateFebCredit02") }
      _ = FileManager.default.createFile(
        atPath: account + name, contents: Data((text + late.joined(separator: "\n") + "\n").utf8))
    }
    let rerun = try setup.run()
    #expect(rerun.status == 6, "\(rerun.stderr)")
    #expect(rerun.stderr.contains("unfinished version holds other content; left as it is, publishing v3"))
    #expect(rerun.stderr.contains("RESTATEMENT: 2026-02/fa_1NorthwindOps000001/usd/v3"))
    let restatement = TestSupport.text(setup.target + "/2026-02/fa_1NorthwindOps000001/usd/v3/restatement.csv")
    #expect(restatement.contains("booked_line_added,trxn_1NwLateFebCredit01"))
    #expect(restatement.contains("booked_line_added,trxn_1NwLateFebCredit02"))
    let lines = setup.index().filter {
      $0["period"] as? String == "2026-02" && $0["financial_account"] as? String == "fa_1NorthwindOps000001"
    }
    #expect(lines.map { $0["version"] as? Int } == [1, 3, 1])
    #expect(lines[1]["restates"] as? Int == 1)
    #expect(lines[2]["restated_by"] as? Int == 3)
  }

  @Test func printConfigAndConfigErrorsOnTheCommandLine() throws {
    let setup = try Setup()
    let printed = try setup.run(["--print-config"])
    #expect(printed.status == 0)
    #expect(printed.stdout.contains("settle_window: 3d\n"))
    #expect(printed.stdout.contains("publish_provisional: false\n"))
    setup.folder.write("run.yaml", "source: {dumps: [dumps]}\nstorage: {url: target}\nsettle: 3d\n")
    let bad = try setup.run()
    #expect(bad.status == 1)
    #expect(bad.stderr.contains("run.yaml:3: error: settle: unknown key"))
  }
}
