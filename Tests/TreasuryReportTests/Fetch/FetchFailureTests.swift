import Foundation
import Testing

/// How `fetch` fails: each failure names what happened, exits with its code, never shows the key, never half-writes.
@Suite(.serialized, .enabled(if: ExternalTool.available(ExternalTool.python3), "needs python3"))
struct FetchFailureTests {
  private func source(_ folder: TestSupport.TemporaryFolder) throws -> String {
    try TestSupport.smallFetchSource(in: folder)
  }

  @Test func rejectedKeyStopsWithoutShowingIt() throws {
    let folder = TestSupport.TemporaryFolder()
    let server = try StripeTestServer(data: try source(folder), log: folder.file("server.log"))
    let wrong = "sk_test_WrongKey123456789"
    let dumps = folder.file("dumps")
    let run = try TestSupport.fetch(
      ["--out", dumps, "--platform", "--all-accounts", "--api-base", server.base], key: wrong)
    #expect(run.status == 5)
    #expect(run.stderr.contains("the API key was rejected (HTTP 401)"))
    #expect(!run.stderr.contains(wrong) && !run.stderr.contains("WrongKey"))
    #expect(TestSupport.dumpFiles(dumps).isEmpty)
    // 401 is not retried, and it stops the whole run; having saved nothing, it binds no later run.
    #expect(server.requests.count == 1)
    #expect(!FileManager.default.fileExists(atPath: dumps + "/.fetch-state/run"))
    #expect(!FileManager.default.fileExists(atPath: dumps + "/.fetch-state/state.json"))
    let retry = try TestSupport.fetch([
      "--out", dumps, "--platform", "--since", "2026-01-01", "--api-base", server.base,
    ])
    #expect(retry.status == 0, "\(retry.stderr)")
    for (path, bytes) in TestSupport.tree(dumps) {
      #expect(!String(decoding: bytes, as: UTF8.self).contains("WrongKey"), "\(path) holds the key")
    }
  }

  @Test func keyOnlyFromTheEnvironmentOrAFile() throws {
    let folder = TestSupport.TemporaryFolder()
    let server = try StripeTestServer(data: try source(folder), log: folder.file("server.log"))
    let none = try TestSupport.fetch(["--out", folder.file("a"), "--platform", "--api-base", server.base], key: nil)
    #expect(none.status == 1)
    #expect(none.stderr.contains("set STRIPE_API_KEY or pass --api-key-file"))
    let flag = try TestSupport.fetch(
      ["--out", folder.file("b"), "--platform", "--api-key", "sk_test_OnTheCommandLine", "--api-base", server.base],
      key: nil)
    #expect(flag.status == 1)
    #expect(flag.stderr.contains("--api-key is not accepted"))
    #expect(!flag.stderr.contains("OnTheCommandLine"))
    let keyFile = folder.write("key.txt", StripeTestServer.key + "\n")
    let file = try TestSupport.fetch(
      ["--out", folder.file("c"), "--platform", "--api-key-file", keyFile, "--api-base", server.base], key: nil)
    #expect(file.status == 0, "\(file.stderr)")
    #expect(TestSupport.dumpFiles(folder.file("c")).count == 3)
  }

  @Test(arguments: [
    (["--api-base", "http://example.com"], "must use https"),
    (["--account", "acct_../x"], "--account takes a connected account id"),
    ([String](), "say what to fetch"),
    (["--since", "2026-13-01"], "--since takes a date"),
  ])
  func usageErrors(flags: [String], message: String) throws {
    let folder = TestSupport.TemporaryFolder()
    let selection = flags.contains("--account") || flags.isEmpty ? [] : ["--platform"]
    let run = try TestSupport.fetch(["--out", folder.file("dumps")] + selection + flags)
    #expect(run.status == 1)
    #expect(run.stderr.contains(message), "\(run.stderr)")
  }

  @Test func refusesAFolderItDidNotWrite() throws {
    let folder = TestSupport.TemporaryFolder()
    folder.write("dumps/notes.txt", "mine")
    let run = try TestSupport.fetch([
      "--out", folder.file("dumps"), "--platform", "--api-base", "http://127.0.0.1:9",
    ])
    #expect(run.status == 1)
    #expect(run.stderr.contains("was not written by fetch"))
    #expect(TestSupport.text(folder.file("dumps/notes.txt")) == "mine")
  }

  @Test func shouldRetryFalseIsNotRetried() throws {
    let folder = TestSupport.TemporaryFolder()
    let server = try StripeTestServer(
      data: try source(folder), ["--p500", "1", "--no-retry-500"], log: folder.file("server.log"))
    let run = try TestSupport.fetch(["--out", folder.file("dumps"), "--platform", "--api-base", server.base])
    #expect(run.status == 5)
    #expect(run.stderr.contains("HTTP 500"))
    #expect(run.stderr.contains("Stripe-Should-Retry: false"))
    #expect(server.requests.count == 1)
  }

  @Test func retriesAreBounded() throws {
    let folder = TestSupport.TemporaryFolder()
    let server = try StripeTestServer(data: try source(folder), ["--p500", "1"], log: folder.file("server.log"))
    let dumps = folder.file("dumps")
    let run = try TestSupport.fetch([
      "--out", dumps, "--platform", "--api-base", server.base, "--max-attempts", "3",
    ])
    #expect(run.status == 5)
    #expect(run.stderr.contains("gave up after 3 attempts (last: HTTP 500: api_error"))
    #expect(run.stderr.contains("(request id req_"))
    #expect(run.stderr.contains("run the same command again to resume"))
    #expect(server.requests.count == 3)
    // Nothing was committed, and the manifest says the folder failed.
    #expect(TestSupport.dumpFiles(dumps).isEmpty)
    #expect(TestSupport.text(dumps + "/fetch-manifest.json").contains("\"status\" : \"failed\""))
  }

  @Test func cursorThatDoesNotAdvanceIsAnError() throws {
    let folder = TestSupport.TemporaryFolder()
    let server = try StripeTestServer(data: try source(folder), ["--stuck-cursor"], log: folder.file("server.log"))
    let run = try TestSupport.fetch([
      "--out", folder.file("dumps"), "--platform", "--api-base", server.base, "--page-size", "5",
    ])
    #expect(run.status == 2)
    #expect(run.stderr.contains("the cursor does not advance"))
    #expect(server.requests.count < 10)
  }

  @Test func anObjectStatementsWouldRejectIsNotStored() throws {
    let folder = TestSupport.TemporaryFolder()
    let data = try source(folder)
    // One transaction of one connected account gets a decimal amount: valid JSON, but not minor units.
    let edit = try TestSupport.run(
      "/usr/bin/env",
      [
        "python3", "-c",
        """
        import glob, json, sys
        path = glob.glob(sys.argv[1] + "/acct_1Gen00000002/transactions.jsonl")[0]
        lines = open(path).read().splitlines()
        t = json.loads(lines[0])
        t["amount"] = t["amount"] + 0.5
        lines[0] = json.dumps(t)
        open(path, "w").write("\\n".join(lines) + "\\n")
        print(t["id"])
        """, data,
      ])
    #expect(edit.status == 0, "\(edit.stderr)")
    let id = edit.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    let reason = "'amount' must be an integer number of minor units"
    let statements = try TestSupport.run(
      "treasury-report", ["statements", data, "--out", folder.file("out"), "--format", "summary"])
    #expect(statements.status == 2)
    #expect(statements.stderr.contains(reason), "\(statements.stderr)")

    let server = try StripeTestServer(data: data, log: folder.file("server.log"))
    let dumps = folder.file("dumps")
    let run = try TestSupport.fetch([
      "--out", dumps, "--account", "acct_1Gen00000001", "--account", "acct_1Gen00000002", "--api-base", server.base,
    ])
    // Fetch refuses it with the reason statements gives, naming the object and the request; the other account is kept.
    #expect(run.status == 2)
    #expect(run.stderr.contains(reason), "\(run.stderr)")
    #expect(run.stderr.contains(id) && run.stderr.contains("/v1/treasury/transactions"), "\(run.stderr)")
    #expect(TestSupport.dumpFiles(dumps).keys.allSatisfy { $0.hasPrefix("acct_1Gen00000001/") })
    #expect(TestSupport.dumpFiles(dumps).count == 3)
  }

  @Test func oneRefusedAccountFailsAloneAndLoudly() throws {
    let folder = TestSupport.TemporaryFolder()
    let server = try StripeTestServer(data: try source(folder), log: folder.file("server.log"))
    let dumps = folder.file("dumps")
    let run = try TestSupport.fetch([
      "--out", dumps, "--account", "acct_1Gen00000001", "--account", "acct_1NotMine", "--api-base", server.base,
    ])
    #expect(run.status == 5)
    #expect(run.stderr.contains("acct_1NotMine"))
    #expect(run.stderr.contains("HTTP 403"))
    #expect(TestSupport.dumpFiles(dumps).keys.sorted().first == "acct_1Gen00000001/financial_accounts.jsonl.gz")
    #expect(TestSupport.dumpFiles(dumps).count == 3)
    // A later run with the same options resumes: the committed account is not fetched again.
    let before = server.requests.count
    let again = try TestSupport.fetch([
      "--out", dumps, "--account", "acct_1Gen00000001", "--account", "acct_1NotMine", "--api-base", server.base,
    ])
    #expect(again.status == 5)
    #expect(server.requests.count == before + 1)
  }

  @Test func incompatibleRunsIntoOneFolderAreRefused() throws {
    let folder = TestSupport.TemporaryFolder()
    let server = try StripeTestServer(data: try source(folder), log: folder.file("server.log"))
    let dumps = folder.file("dumps")
    #expect(try TestSupport.fetch(["--out", dumps, "--platform", "--api-base", server.base]).status == 0)
    let version = try TestSupport.fetch([
      "--out", dumps, "--platform", "--api-base", server.base, "--stripe-version", "2025-01-27.acacia",
    ])
    #expect(version.status == 1)
    #expect(version.stderr.contains("was fetched with Stripe-Version 2026-07-29.dahlia"))
    let live = try TestSupport.fetch(
      ["--out", dumps, "--platform", "--api-base", server.base], key: "sk_live_51SomeLiveKey")
    #expect(live.status == 1)
    #expect(live.stderr.contains("test-mode data"))
  }

  @Test func aDumpFileRemovedBetweenRunsIsFetchedWhole() throws {
    let folder = TestSupport.TemporaryFolder()
    let server = try StripeTestServer(
      data: try source(folder), ["--now", "1775088000"], log: folder.file("server.log"))
    let dumps = folder.file("dumps")
    let common = ["--platform", "--api-base", server.base, "--page-size", "10"]
    #expect(try TestSupport.fetch(["--out", dumps] + common).status == 0)
    let before = TestSupport.dumpFiles(dumps)
    try FileManager.default.removeItem(atPath: dumps + "/platform/transactions.jsonl.gz")
    let again = try TestSupport.fetch(["--out", dumps] + common)
    #expect(again.status == 0, "\(again.stderr)")
    #expect(
      again.stderr.contains("transactions.jsonl.gz differ from what the last fetch wrote; fetching everything again"))
    #expect(TestSupport.dumpFiles(dumps) == before)
  }
}
