import Foundation
import Testing

@testable import TreasuryReport

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

  @Test func elementsOfTheTopLevelDataArray() {
    let json = Array(
      #"{"object":"list","meta":{"data":[9]},"data":[{"id":"a","data":[1,2]},{"id":"b","s":"],\"["},3],"has_more":false}"#
        .utf8)
    let spans = JSONSpans.elements(ofArray: "data", in: json) ?? []
    #expect(
      spans.map { String(decoding: json[$0], as: UTF8.self) } == [
        #"{"id":"a","data":[1,2]}"#, #"{"id":"b","s":"],\"["}"#, "3",
      ])
    #expect(JSONSpans.elements(ofArray: "data", in: Array(#"{"data":[]}"#.utf8)) == [])
    #expect(JSONSpans.elements(ofArray: "data", in: Array(#"{"x":1}"#.utf8)) == nil)
  }

  @Test func pageKeepsTheAPIsBytesAndChecksTypes() throws {
    let body = Array(
      """
      {
        "object": "list",
        "data": [
          {"id": "trxn_1", "object": "treasury.transaction", "created": 5, "status": "open", "amount": -100,
           "balance_impact": {"cash": -100, "inbound_pending": 0, "outbound_pending": 100}, "description": "a  b"}
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
      let line =
        #"{"id":"\#(id)","object":"treasury.transaction","created":\#(created),"status":"\#(status)","tag":"\#(tag)"}"#
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
    // And the waits are real sleeps.
    let other = RateLimiter(requestsPerSecond: 100)
    let start = ContinuousClock.now
    for _ in 0..<31 { await other.acquire() }
    #expect(ContinuousClock.now - start >= .milliseconds(200))
  }

}
