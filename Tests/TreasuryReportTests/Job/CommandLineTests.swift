import Foundation
import Testing

/// The built `treasury-report` binary: messages, exit codes, and what is (not) left behind.
@Suite struct CommandLineTests {
  static let good = Lines.transaction("trxn_1", amount: 500, flowType: "received_credit")
  static let goodEntry = Lines.entry("trxne_1", transaction: "trxn_1", at: 1_767_225_600, cash: 500)

  /// Runs `statements` on one dump file named `name`; returns the run and the output folder.
  private func statements(
    _ text: String, name: String = "acct_1Test/dump.jsonl", extra: [String] = [], folder: TestSupport.TemporaryFolder
  ) throws -> (TestSupport.Run, String) {
    folder.write(name, text)
    let out = folder.file("out")
    let run = try TestSupport.run(
      "treasury-report", ["statements", "acct_1Test", "--out", out] + extra, cwd: folder.path)
    return (run, out)
  }

  @Test(arguments: [
    (
      "{\"object\": \"treasury.transaction\", \"id\": \"trxn_1\", \"amount\": 12.5}",
      "acct_1Test/dump.jsonl:1: error: 'amount' must be an integer number of minor units, found 12.5"
    ),
    ("{not json}", "acct_1Test/dump.jsonl:1: error: expected a member name in double quotes, found 'n' (column 2)"),
    (
      "{\"id\":\"x\"}",
      "acct_1Test/dump.jsonl:1: error: lacks required field 'object'; expected a Stripe object (treasury.transaction, treasury.transaction_entry, treasury.financial_account, account) or a list page"
    ),
    (
      "[1]",
      "acct_1Test/dump.jsonl:1: error: expected a Stripe object or list page ('{') in the array, found '1' (column 2)"
    ),
  ])
  func invalidLinesStopTheRunAndWriteNothing(bad: String, message: String) throws {
    let folder = TestSupport.TemporaryFolder()
    let (run, out) = try statements([Self.good, bad, Self.goodEntry].joined(separator: "\n"), folder: folder)
    #expect(run.status == 2)
    let expected = message.replacingOccurrences(of: ":1:", with: ":2:")
    #expect(run.stderr.hasPrefix(expected + "\n"), "\(run.stderr)")
    #expect(run.stderr.contains("error: 1 input line is invalid; nothing was written"))
    #expect(!FileManager.default.fileExists(atPath: out))
    // No staging folder is left beside it either.
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["acct_1Test"])
  }

  @Test func everyInvalidLineIsReportedInOrder() throws {
    let folder = TestSupport.TemporaryFolder()
    let (run, _) = try statements(
      ["{", Self.good, "[", "{\"object\":\"list\"}"].joined(separator: "\n"), folder: folder)
    #expect(run.status == 2)
    let lines = run.stderr.split(separator: "\n").filter { $0.contains(": error: ") && $0.hasPrefix("acct_") }
    #expect(lines.map { $0.split(separator: ":")[1] } == ["1", "3", "4"])
  }

  @Test func skipInvalidSetsLinesAsideInRejects() throws {
    let folder = TestSupport.TemporaryFolder()
    let (run, out) = try statements(
      [Self.good, "{broken", Self.goodEntry].joined(separator: "\n"), extra: ["--skip-invalid"], folder: folder)
    #expect(run.status == 0, "\(run.stderr)")
    let rejects = TestSupport.text(out + "/rejects.jsonl")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(rejects.utf8)) as? [String: Any])
    #expect(object["file"] as? String == "acct_1Test/dump.jsonl")
    #expect(object["line"] as? Int == 2)
    #expect(object["raw"] as? String == "{broken")
    #expect((object["reason"] as? String)?.hasPrefix("expected a member name") == true)
    #expect(run.stderr.contains("set aside 1 invalid line in rejects.jsonl"))
    let manifest = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/manifest.json")))
        as? [String: Any])
    #expect(manifest["rejected_lines"] as? Int == 1)
  }

  @Test func mixingLiveAndTestObjectsIsRefused() throws {
    let folder = TestSupport.TemporaryFolder()
    let live = Self.goodEntry.replacingOccurrences(of: "\"livemode\":false", with: "\"livemode\":true")
    let (run, out) = try statements([Self.good, live].joined(separator: "\n"), folder: folder)
    #expect(run.status == 2)
    #expect(
      run.stderr.hasPrefix(
        "error: live-mode and test-mode objects are mixed (livemode true at acct_1Test/dump.jsonl:2, false at acct_1Test/dump.jsonl:1); run live and test dumps separately"
      ))
    #expect(!FileManager.default.fileExists(atPath: out))
  }

  @Test func contradictoryCopiesAreRefused() throws {
    let folder = TestSupport.TemporaryFolder()
    let void = Lines.transaction("trxn_1", amount: 500, status: "void", flowType: "received_credit")
    let (run, _) = try statements([Self.good, void].joined(separator: "\n"), folder: folder)
    #expect(run.status == 2)
    #expect(
      run.stderr.hasPrefix(
        "acct_1Test/dump.jsonl:2: error: trxn_1 contradicts its copy at acct_1Test/dump.jsonl:1: status posted against void; balance_impact.cash 500 against 0; posted_at 1767225660 against null; void_at null against 1767225660"
      ))
  }

  @Test func oneFinancialAccountUnderTwoConnectedAccountsIsRefused() throws {
    let folder = TestSupport.TemporaryFolder()
    folder.write("dumps/acct_1A/t.jsonl", Self.good + "\n" + Self.goodEntry)
    folder.write("dumps/acct_1B/t.jsonl", Self.good)
    let run = try TestSupport.run("treasury-report", ["statements", "dumps", "--out", "out"], cwd: folder.path)
    #expect(run.status == 2)
    #expect(
      run.stderr.hasPrefix(
        "dumps/acct_1B/t.jsonl:1: error: fa_1 appears under two connected accounts: acct_1B here, and acct_1A at dumps/acct_1A/t.jsonl:1\n"
      ), "\(run.stderr)")
  }

  @Test func corruptAndTruncatedGzipAreInvalidInput() throws {
    let folder = TestSupport.TemporaryFolder()
    let plain = folder.write(
      "acct_1Test/t.jsonl",
      (0..<200).map { Lines.transaction("trxn_\($0)", amount: $0 + 1, flowType: "received_credit") }.joined(
        separator: "\n") + "\n")
    _ = try TestSupport.run("/bin/gzip", ["-n", plain])
    let gz = plain + ".gz"
    let whole = try Data(contentsOf: URL(fileURLWithPath: gz))
    try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: gz))
    let truncated = try TestSupport.run(
      "treasury-report", ["statements", "acct_1Test", "--out", "out"], cwd: folder.path)
    #expect(truncated.status == 2)
    #expect(truncated.stderr.contains("acct_1Test/t.jsonl.gz:"))
    #expect(
      truncated.stderr.contains("error: gzip data is corrupt or cut short after this line (unexpected end of file)"))
    var flipped = whole
    flipped[whole.count / 2] ^= 0xFF
    try flipped.write(to: URL(fileURLWithPath: gz))
    let corrupt = try TestSupport.run(
      "treasury-report", ["statements", "acct_1Test", "--out", "out"], cwd: folder.path)
    #expect(corrupt.status == 2)
    #expect(corrupt.stderr.contains("error: gzip data is corrupt or cut short"))
    #expect(!FileManager.default.fileExists(atPath: folder.file("out")))
  }

  @Test func concatenatedGzipMembersAreOneStream() throws {
    let folder = TestSupport.TemporaryFolder()
    let a = folder.write("a.jsonl", Self.good + "\n")
    let b = folder.write("b.jsonl", Self.goodEntry + "\n")
    _ = try TestSupport.run("/bin/gzip", ["-n", a, b])
    var both = try Data(contentsOf: URL(fileURLWithPath: a + ".gz"))
    both.append(try Data(contentsOf: URL(fileURLWithPath: b + ".gz")))
    try FileManager.default.createDirectory(atPath: folder.file("acct_1Test"), withIntermediateDirectories: true)
    try both.write(to: URL(fileURLWithPath: folder.file("acct_1Test/both.jsonl.gz")))
    let run = try TestSupport.run("treasury-report", ["statements", "acct_1Test", "--out", "out"], cwd: folder.path)
    #expect(run.status == 0, "\(run.stderr)")
    #expect(TestSupport.records(folder.file("out/summary.csv")).first?["closing_cash"] == "5.00")
  }

  @Test(arguments: [
    (
      ["--tz", "Mars/Olympus"],
      "error: unknown time zone 'Mars/Olympus' for --tz; use an IANA name such as UTC or America/New_York"
    ),
    (
      ["--period", "2026-13"],
      "error: --period takes a label like 2026, 2026-Q1, 2026-03, 2026-W11 or 2026-03-15, found '2026-13'"
    ),
    (
      ["--period", "2026-W11", "--interval", "month"],
      "error: --period 2026-W11 is a week; it does not go with --interval month"
    ),
    (
      ["--from", "2026-03-01", "--to", "2026-02-01"],
      "error: --from 2026-03-01 must be before --to 2026-02-01 (--to is exclusive)"
    ),
    (["--interval", "range"], "error: --interval range needs both --from and --to"),
    (["--account", "bob"], "error: --account takes a Stripe account id like acct_1Abc, found 'bob'"),
    (
      ["--format", "pdf"],
      "Error: --format takes csv, summary, csv:PROFILE, camt053, camt053.08, ofx, ofx2, bai2 or html (comma-separated), found 'pdf'"
    ),
    (["--ofx-org", "Acme"], "Error: --ofx-org needs --format ofx or ofx2"),
    (
      ["--format", "ofx2", "--ofx-fid", String(repeating: "9", count: 33)],
      "Error: --ofx-fid must be 1 to 32 printable ASCII characters, without spaces at either end, found '999"
    ),
    (["--format", "ofx", "--ofx-org", "Caf\u{E9}"], "Error: --ofx-org must be 1 to 32 printable ASCII characters"),
  ])
  func usageErrorsExitOne(flags: [String], message: String) throws {
    let folder = TestSupport.TemporaryFolder()
    let (run, out) = try statements(Self.good, extra: flags, folder: folder)
    #expect(run.status == 1)
    #expect(run.stderr.hasPrefix(message), "\(run.stderr)")
    #expect(!FileManager.default.fileExists(atPath: out))
  }

  /// Amounts each within range whose sums leave 64 bits: a clear error, not a crash, and no output.
  @Test func balancesBeyondTheLimitAreInvalidInput() throws {
    let folder = TestSupport.TemporaryFolder()
    // Every amount is within range, but January's credits (7 × 10^18) and its
    // booked movement (−2.3 × 10^18) are so large that the statement's
    // difference would not fit 64 bits.
    let entries = (0..<2300).map { i in
      #"{"id":"trxne_\#(i)","object":"treasury.transaction_entry","balance_impact":{"cash":-1000000000000000,"inbound_pending":0,"outbound_pending":0},"created":1767225600,"currency":"usd","effective_at":1767225600,"financial_account":"fa_1","flow":null,"flow_type":"other","livemode":false,"transaction":"trxn_x","type":"other"}"#
    }
    let credits = (0..<7000).map { i in
      Lines.transaction("trxn_\(i)", amount: 1_000_000_000_000_000, created: 1_767_300_000, flowType: "received_credit")
    }
    let lines = entries + credits
    // Summary-only runs keep no running balances, so only the bound on totals stands between them and a trap.
    let (run, out) = try statements(lines.joined(separator: "\n"), extra: ["--format", "summary"], folder: folder)
    #expect(run.status == 2, "\(run.stderr)")
    #expect(run.stderr.hasPrefix("fa_1 usd 2026-01: error: balances or totals exceed ±2305843009213693952 minor units"))
    #expect(!FileManager.default.fileExists(atPath: out))
  }

  @Test func aFailedRunLeavesNoNewParentFolders() throws {
    let folder = TestSupport.TemporaryFolder()
    folder.write("acct_1Test/dump.jsonl", "{broken")
    let run = try TestSupport.run(
      "treasury-report", ["statements", "acct_1Test", "--out", "new/deeper/out"], cwd: folder.path)
    #expect(run.status == 2)
    #expect(!FileManager.default.fileExists(atPath: folder.file("new")))
  }

  @Test func aGzipFileCutBeforeItsFirstLineSaysSo() throws {
    let folder = TestSupport.TemporaryFolder()
    let plain = folder.write("acct_1Test/t.jsonl", String(repeating: Self.good + "\n", count: 50))
    _ = try TestSupport.run("/bin/gzip", ["-n", plain])
    let whole = try Data(contentsOf: URL(fileURLWithPath: plain + ".gz"))
    try whole.prefix(12).write(to: URL(fileURLWithPath: plain + ".gz"))
    let run = try TestSupport.run("treasury-report", ["statements", "acct_1Test", "--out", "out"], cwd: folder.path)
    #expect(run.status == 2)
    #expect(
      run.stderr.hasPrefix("acct_1Test/t.jsonl.gz: error: gzip data is corrupt or cut short before its first line"))
  }

  @Test func missingInputIsAnIOError() throws {
    let folder = TestSupport.TemporaryFolder()
    let run = try TestSupport.run("treasury-report", ["statements", "nowhere", "--out", "out"], cwd: folder.path)
    #expect(run.status == 4)
    #expect(run.stderr.hasPrefix("nowhere: error: no such file or folder; check the INPUT path"))
  }

  @Test func neverReplacesAFolderItDidNotWrite() throws {
    let folder = TestSupport.TemporaryFolder()
    folder.write("out/notes.txt", "mine")
    let (run, _) = try statements(Self.good + "\n" + Self.goodEntry, folder: folder)
    #expect(run.status == 1)
    #expect(
      run.stderr.hasPrefix(
        folder.file("out")
          + ": error: will not replace this folder: it is not empty and holds no treasury-report manifest.json; choose a new or empty --out folder"
      ))
    #expect(TestSupport.text(folder.file("out/notes.txt")) == "mine")
  }

  @Test func replacesItsOwnEarlierOutputAndLeavesItOnFailure() throws {
    let folder = TestSupport.TemporaryFolder()
    let (first, out) = try statements(Self.good + "\n" + Self.goodEntry, folder: folder)
    #expect(first.status == 0)
    folder.write("out/stale.csv", "from an earlier run")
    let before = TestSupport.tree(out)
    // A failing run leaves the earlier output exactly as it was.
    let (failed, _) = try statements("{oops", extra: ["--replace"], folder: folder)
    #expect(failed.status == 2)
    #expect(TestSupport.tree(out) == before)
    // A successful run replaces it entirely.
    let (second, _) = try statements(Self.good + "\n" + Self.goodEntry, extra: ["--replace"], folder: folder)
    #expect(second.status == 0)
    #expect(!FileManager.default.fileExists(atPath: out + "/stale.csv"))
  }

  @Test func unreconciledStatementsExitThreeUnlessAllowed() throws {
    let folder = TestSupport.TemporaryFolder()
    // A posted transaction whose entry is missing from the dump.
    let orphan = Lines.transaction("trxn_2", amount: -200, created: 1_767_300_000)
    let (run, out) = try statements([Self.good, Self.goodEntry, orphan].joined(separator: "\n"), folder: folder)
    #expect(run.status == 3)
    #expect(
      run.stderr.contains(
        "fa_1 usd 2026-01: closing − opening booked is 5.00 but credits − debits is 3.00 (difference 2.00)"))
    #expect(
      run.stderr.contains(
        "fa_1 usd trxn_2: the dump holds no entries for this posted transaction [transaction_has_entries]"))
    #expect(TestSupport.records(out + "/summary.csv").first?["reconciled"] == "false")
    let (allowed, _) = try statements(
      [Self.good, Self.goodEntry, orphan].joined(separator: "\n"), extra: ["--allow-unreconciled", "--replace"],
      folder: folder)
    #expect(allowed.status == 0)
  }

  @Test func readsStandardInputWithTheAccountFlag() throws {
    let folder = TestSupport.TemporaryFolder()
    let run = try TestSupport.run(
      "treasury-report",
      ["statements", "-", "--out", "out", "--account", "acct_1Stdin", "--report-json", "report.json"],
      cwd: folder.path, stdin: Data((Self.good + "\r\n" + Self.goodEntry + "\r\n").utf8))
    #expect(run.status == 0, "\(run.stderr)")
    let row = try #require(TestSupport.records(folder.file("out/summary.csv")).first)
    #expect(row["account"] == "acct_1Stdin" && row["credits"] == "5.00")
    let report = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder.file("report.json"))))
        as? [String: Any])
    #expect(report["status"] as? String == "ok")
    #expect(report["statements"] as? Int == 1)
  }

  @Test func selectsPeriodsByLabelAndRange() throws {
    let folder = TestSupport.TemporaryFolder()
    let root = TestSupport.root.path
    let one = try TestSupport.run(
      "treasury-report", ["statements", "samples", "--out", folder.file("one"), "--period", "2026-02"], cwd: root)
    #expect(one.status == 0)
    #expect(
      Set(TestSupport.records(folder.file("one/summary.csv")).map { $0["period_start"] ?? "" }) == [
        "2026-02-01T00:00:00+00:00"
      ])
    let range = try TestSupport.run(
      "treasury-report",
      [
        "statements", "samples", "--out", folder.file("range"), "--interval", "range", "--from", "2026-01-15", "--to",
        "2026-03-01", "--format", "summary",
      ], cwd: root)
    #expect(range.status == 0)
    let rows = TestSupport.records(folder.file("range/summary.csv"))
    #expect(rows.count == 3)
    #expect(rows.allSatisfy { $0["period_end"] == "2026-03-01T00:00:00+00:00" })
    #expect(!FileManager.default.fileExists(atPath: folder.file("range/accounts.csv")))
    // Weeks: every Monday-started week overlapping the range.
    let weeks = try TestSupport.run(
      "treasury-report",
      [
        "statements", "samples", "--out", folder.file("weeks"), "--interval", "week", "--from", "2026-03-01", "--to",
        "2026-03-15", "--format", "summary",
      ], cwd: root)
    #expect(weeks.status == 0)
    #expect(Set(TestSupport.records(folder.file("weeks/summary.csv")).map { $0["period_start"] ?? "" }).count == 3)
  }
}

/// `--from` or `--to` alone, with several connected accounts whose activity lies on either side of the clip date.
@Suite struct OpenEndedRangeTests {
  static let feb5 = 1_770_249_600  // 2026-02-05T00:00:00Z
  static let mar20 = 1_773_964_800  // 2026-03-20T00:00:00Z
  static let apr20 = 1_776_643_200  // 2026-04-20T00:00:00Z
  static let jan10 = 1_768_003_200  // 2026-01-10T00:00:00Z

  private func credit(_ id: String, fa: String, at: Int, amount: Int) -> String {
    Lines.transaction(id, amount: amount, created: at, posted: at, fa: fa, flowType: "received_credit") + "\n"
      + Lines.entry("e_" + id, transaction: id, at: at, cash: amount, fa: fa, type: "received_credit")
  }

  private func run(_ dumps: [String: String], _ flags: [String]) throws -> [String: [String: String]] {
    let folder = TestSupport.TemporaryFolder()
    for (path, text) in dumps { folder.write(path, text) }
    let result = try TestSupport.run(
      "treasury-report", ["statements", "dumps", "--out", "out"] + flags, cwd: folder.path)
    #expect(result.status == 0, "\(result.stderr)")
    var rows: [String: [String: String]] = [:]
    for row in TestSupport.records(folder.file("out/summary.csv")) {
      rows["\(row["financial_account"] ?? "") \(row["period_start"]?.prefix(7) ?? "")"] = row
    }
    return rows
  }

  @Test func fromInsideAPeriodStillCountsTheWholePeriod() throws {
    let rows = try run(
      [
        "dumps/acct_1A/t.jsonl": credit("trxn_a", fa: "fa_A", at: Self.feb5, amount: 10000),
        "dumps/acct_1B/t.jsonl": credit("trxn_b1", fa: "fa_B", at: Self.feb5, amount: 10000) + "\n"
          + credit("trxn_b2", fa: "fa_B", at: Self.mar20, amount: 500),
      ], ["--from", "2026-02-15"])
    // fa_A's only credit is on Feb 5, before --from but inside February: February counts it.
    let a = try #require(rows["fa_A 2026-02"])
    #expect(a["opening_cash"] == "0.00" && a["credits"] == "100.00" && a["closing_cash"] == "100.00")
    #expect(a["posted_count"] == "1")
    // March is quiet for fa_A: a tail statement.
    let aMarch = try #require(rows["fa_A 2026-03"])
    #expect(aMarch["opening_cash"] == "100.00" && aMarch["closing_cash"] == "100.00" && aMarch["credits"] == "0.00")
    #expect(rows["fa_B 2026-03"]?["credits"] == "5.00")
    #expect(rows.keys.filter { $0.hasSuffix("2026-01") }.isEmpty)
  }

  @Test func toInsideAPeriodStillCountsTheWholePeriod() throws {
    let rows = try run(
      [
        "dumps/acct_1C/t.jsonl": credit("trxn_c1", fa: "fa_C", at: Self.mar20, amount: 7000) + "\n"
          + credit("trxn_c2", fa: "fa_C", at: Self.apr20, amount: 300),
        "dumps/acct_1D/t.jsonl": credit("trxn_d", fa: "fa_D", at: Self.jan10, amount: 10000),
      ], ["--to", "2026-03-15"])
    // March overlaps [.., Mar 15): its statement has all of March, and nothing of April.
    let c = try #require(rows["fa_C 2026-03"])
    #expect(c["opening_cash"] == "0.00" && c["credits"] == "70.00" && c["closing_cash"] == "70.00")
    #expect(rows["fa_C 2026-04"] == nil)
    let d = try #require(rows["fa_D 2026-03"])
    #expect(d["opening_cash"] == "100.00" && d["closing_cash"] == "100.00")
  }
}
