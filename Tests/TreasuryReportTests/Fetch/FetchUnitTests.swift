import Foundation
import Synchronization
import Testing
import TreasuryHTTP

@testable import TreasuryFetch
@_spi(Inlining) @testable import TreasuryModel

/// The fetcher's pure parts: retry decisions, backoff, addresses, the key, JSON spans, merging, the rate limit.
struct FetchUnitTests {
  @Test(arguments: [
    (429, nil as String?, true), (500, nil, true), (503, nil, true), (400, nil, false), (404, nil, false),
    (409, "true", true), (500, "false", false), (429, "false", false), (402, nil, false),
  ])
  func retryDecisions(status: Int, header: String?, retried: Bool) {
    #expect(RetryPolicy.isRetryable(status: status, shouldRetry: header) == retried)
  }

  @Test func backoffGrowsWithJitterAndHonoursRetryAfter() {
    let policy = RetryPolicy(maxAttempts: 6, baseDelay: 0.5, maxDelay: 20)
    #expect(policy.delay(afterAttempt: 1, retryAfter: nil, random: 0) == 0.25)
    #expect(policy.delay(afterAttempt: 1, retryAfter: nil, random: 1) == 0.5)
    #expect(policy.delay(afterAttempt: 3, retryAfter: nil, random: 0) == 1)
    #expect(policy.delay(afterAttempt: 3, retryAfter: nil, random: 1) == 2)
    #expect(policy.delay(afterAttempt: 20, retryAfter: nil, random: 1) == 20)
    #expect(policy.delay(afterAttempt: 1, retryAfter: 7, random: 0.5) == 7)
    #expect(policy.delay(afterAttempt: 1, retryAfter: 3600, random: 0.5) == 60)
  }

  @Test(arguments: [
    ("https://api.stripe.com", "https://api.stripe.com"), ("https://api.stripe.com/", "https://api.stripe.com"),
    ("http://127.0.0.1:12111", "http://127.0.0.1:12111"), ("http://localhost:8080/", "http://localhost:8080"),
    ("http://[::1]:9000", "http://[::1]:9000"), ("https://proxy.example/stripe/", "https://proxy.example/stripe"),
  ])
  func acceptedAddresses(text: String, url: String) throws {
    #expect(try APIBase(text).url == url)
  }

  @Test(arguments: [
    "http://api.stripe.com", "http://10.0.0.1:8080", "http://127.0.0.1.example.com", "ftp://127.0.0.1",
    "https://sk_live_x:@api.stripe.com", "https://api.stripe.com/?a=1", "not a url",
  ])
  func refusedAddresses(text: String) {
    #expect(throws: FetchError.self) { try APIBase(text) }
  }

  @Test func keyIsNeverShown() throws {
    let key = try APIKey("  sk_live_51Secret123abc\n")
    #expect(key.mode == .live)
    #expect(try APIKey("rk_test_x1").mode == .test)
    #expect("\(key)" == "[API key redacted]")
    #expect(!String(describing: [key]).contains("Secret"))
    #expect(
      key.redact("Invalid API Key provided: sk_live_51Secret123abc") == "Invalid API Key provided: [API key redacted]")
    #expect(throws: FetchError.self) { try APIKey("sk_test bad") }
    #expect(throws: FetchError.self) { try APIKey("   ") }
  }

  @Test func compactKeepsStringsAndDropsLayout() {
    let text = "{\n  \"a\": \"x y\\\" ,\\\\\",\n  \"b\" : [ 1 , {\"c\" :\t2} ]\n}\n"
    #expect(
      String(decoding: JSONSpans.compact(Array(text.utf8)), as: UTF8.self) == #"{"a":"x y\" ,\\","b":[1,{"c":2}]}"#)
  }

  /// A transaction `statements` accepts, as compact JSON; `extra` members go first.
  private func transaction(
    _ id: String, created: Int64 = 1_767_225_600, status: String = "open", extra: String = ""
  ) -> String {
    let transitions =
      status == "posted" ? #"{"posted_at":\#(created),"void_at":null}"# : #"{"posted_at":null,"void_at":null}"#
    return
      #"{\#(extra)"id":"\#(id)","object":"treasury.transaction","amount":-100,"balance_impact":{"cash":-100,"inbound_pending":0,"outbound_pending":100},"created":\#(created),"currency":"usd","description":"a  b","financial_account":"fa_1","flow":null,"flow_type":"outbound_payment","livemode":false,"status":"\#(status)","status_transitions":\#(transitions)}"#
  }

  @Test func pageItemsAreTheirOwnBytesInTheCompactBody() throws {
    // A nested `data` before the real one, and brackets inside a string, do not confuse the item spans.
    let body = Array(
      #"{"object":"list","meta":{"data":[9]},"data":[\#(transaction("trxn_a", extra: #""s":"],\"[","#)),\#(transaction("trxn_b"))],"has_more":false}"#
        .utf8)
    let page = try ListPage.parse(body, itemType: "treasury.transaction")
    #expect(!page.hasMore)
    #expect(
      page.objects.map { String(decoding: $0.line, as: UTF8.self) } == [
        transaction("trxn_a", extra: #""s":"],\"[","#), transaction("trxn_b"),
      ])
    #expect(try ListPage.parse(Array(#"{"object":"list","data":[],"has_more":true}"#.utf8), itemType: "x").hasMore)
    for (text, reason) in [
      (#"{"object":"list","data":[\#(transaction("trxn_a")),3],"has_more":false}"#, "not an object"),
      (#"{"object":"list","data":[]}"#, "no 'has_more'"),
      (#"{"object":"list","data":[],"has_more":"no"}"#, "no 'has_more'"),
      (#"{"object":"list","has_more":false}"#, "no 'data' array"),
      (#"{"object":"list","data":[],"has_more":false} x"#, "not valid JSON"),
    ] {
      #expect(throws: FetchedObjectProblem.self) {
        try ListPage.parse(Array(text.utf8), itemType: "treasury.transaction")
      }
      do {
        _ = try ListPage.parse(Array(text.utf8), itemType: "treasury.transaction")
      } catch {
        #expect(error.reason.contains(reason), "\(text): \(error.reason)")
      }
    }
  }

  @Test func objectsStatementsWouldRejectAreRefusedWithItsReason() throws {
    #expect(throws: Never.self) {
      try FetchedObject.parse(Array(transaction("trxn_a").utf8), expecting: "treasury.transaction").get()
    }
    let cases = [
      (
        transaction("trxn_a").replacingOccurrences(of: #""amount":-100"#, with: #""amount":-100.5"#),
        "'amount' must be an integer number of minor units, found -100.5"
      ),
      (
        transaction("trxn_a").replacingOccurrences(of: #""created":1767225600,"#, with: ""),
        "treasury.transaction lacks required field 'created'"
      ),
      (
        transaction("trxn_a").replacingOccurrences(of: #""currency":"usd""#, with: #""currency":"USD""#),
        "'currency' must be a three-letter ISO 4217 code in lowercase"
      ),
      (
        transaction("trxn_a", status: "posted").replacingOccurrences(
          of: #""posted_at":1767225600"#, with: #""posted_at":null"#),
        "transaction is posted but status_transitions.posted_at is null"
      ),
    ]
    for (line, reason) in cases {
      switch FetchedObject.parse(Array(line.utf8), expecting: "treasury.transaction") {
      case .success: Issue.record("accepted \(line)")
      case .failure(let problem):
        #expect(
          problem.reason.hasPrefix("trxn_a would be rejected by statements: " + reason),
          "\(problem.reason)")
      }
      // The same line in a page is refused with the same reason.
      let page = #"{"object":"list","data":[\#(line)],"has_more":false}"#
      #expect(throws: FetchedObjectProblem.self) {
        try ListPage.parse(Array(page.utf8), itemType: "treasury.transaction")
      }
    }
  }

  @Test func pageKeepsTheAPIsBytesAndChecksTypes() throws {
    let body = Array(
      """
      {
        "object": "list",
        "data": [
          {"id": "trxn_1", "object": "treasury.transaction", "created": 1767225600, "status": "open", "amount": -100,
           "balance_impact": {"cash": -100, "inbound_pending": 0, "outbound_pending": 100}, "description": "a  b",
           "currency": "usd", "financial_account": "fa_1", "flow": null, "flow_type": "outbound_payment",
           "livemode": false, "status_transitions": {"posted_at": null, "void_at": null}}
        ],
        "has_more": true,
        "url": "/v1/treasury/transactions"
      }
      """.utf8)
    let page = try ListPage.parse(body, itemType: "treasury.transaction")
    #expect(page.hasMore)
    #expect(page.objects.map(\.id) == ["trxn_1"])
    #expect(page.objects[0].impact == SubBalances(cash: -100, outboundPending: 100))
    #expect(String(decoding: page.objects[0].line, as: UTF8.self).hasPrefix(#"{"id":"trxn_1","object":"#))
    #expect(String(decoding: page.objects[0].line, as: UTF8.self).contains(#""description":"a  b""#))
    #expect(throws: FetchedObjectProblem.self) { try ListPage.parse(body, itemType: "treasury.transaction_entry") }
    #expect(throws: FetchedObjectProblem.self) { try ListPage.parse(Array("[1]".utf8), itemType: "x") }
    #expect(throws: FetchedObjectProblem.self) {
      try ListPage.parse(
        Array(#"{"object":"list","data":[{"id":"../x","object":"x"}],"has_more":false}"#.utf8), itemType: "x")
    }
  }

  @Test func mergeKeepsEachObjectOnceInItsMostAdvancedState() throws {
    func object(_ id: String, _ created: Int64, _ status: String, _ tag: String) throws -> FetchedObject {
      let line = transaction(id, created: created, status: status, extra: #""tag":"\#(tag)","#)
      return try FetchedObject.parse(Array(line.utf8), expecting: "treasury.transaction").get()
    }
    let existing = [try object("trxn_b", 2, "open", "old"), try object("trxn_a", 2, "posted", "old")]
    let fetched = [
      try object("trxn_b", 2, "posted", "new"), try object("trxn_a", 2, "open", "stale"),
      try object("trxn_c", 1, "open", "new"), try object("trxn_c", 1, "open", "newer"),
    ]
    let merged = AccountDump.merge(existing, fetched)
    #expect(merged.map(\.id) == ["trxn_c", "trxn_a", "trxn_b"])
    #expect(
      merged.map { String(decoding: $0.line, as: UTF8.self).contains("\"tag\":\"old\"") } == [false, true, false])
    #expect(String(decoding: merged[0].line, as: UTF8.self).contains("newer"))
  }

  @Test func anInterruptedRunIsDescribedWithEveryOptionOfItsPlan() {
    // The advice "run it again with the same options" must be followable: every field the plan compares is shown.
    let plan = RunFolder.Plan(
      apiBase: "https://api.stripe.com", stripeVersion: "2026-07-29.dahlia", accounts: ["acct_1"], allAccounts: true,
      platform: true, since: 1_767_225_600, overlap: 3600, pageSize: 100)
    #expect(
      FetchJob.describe(plan)
        == "--platform --all-accounts --account acct_1 --since 2026-01-01 --api-base https://api.stripe.com --stripe-version 2026-07-29.dahlia --overlap 3600 --page-size 100"
    )
    var noSince = plan
    noSince.since = nil
    #expect(!FetchJob.describe(noSince).contains("--since"))
  }

  @Test func rateLimiterSpacesRequests() async {
    // Reservations: a burst of 10 is free, then each caller waits 10 ms longer than the one before.
    let limiter = RateLimiter(requestsPerSecond: 100)
    let waits = (0..<31).map { _ in limiter.reserve() }
    #expect(waits.prefix(10).allSatisfy { $0 == 0 })
    #expect(waits[30] > 0.15 && waits[30] <= 0.21)
    #expect(zip(waits.dropFirst(10), waits.dropFirst(11)).allSatisfy { $0 < $1 })
    // A 429 pauses everyone.
    limiter.pause(seconds: 2)
    #expect(limiter.reserve() > 2)
    // And callers really wait: 31 requests at 100 a second take the clock 0.2 s past the burst.
    let clock = TestFetchClock()
    let other = RateLimiter(requestsPerSecond: 100, clock: clock)
    for _ in 0..<31 { try? await other.acquire() }
    #expect(clock.now >= 0.2 && clock.now <= 0.21, "\(clock.now)")
  }

  @Test func aCancelledWaitForTheRateLimitThrows() async {
    let limiter = RateLimiter(requestsPerSecond: 0.01)
    let waiter = Task<Void, any Error> {
      try await limiter.acquire()  // the burst's one token
      try await limiter.acquire()  // 100 s of debt
    }
    waiter.cancel()
    await #expect(throws: CancellationError.self) { try await waiter.value }
  }
}

/// A clock that moves only when someone sleeps on it: every wait is counted at once.
private final class TestFetchClock: FetchClock {
  private let time = Mutex(0.0)

  var now: Double { time.withLock { $0 } }

  func sleep(seconds: Double) async throws(CancellationError) {
    time.withLock { $0 += seconds }
  }

}
