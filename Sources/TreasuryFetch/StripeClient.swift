import Foundation
import Synchronization
import TreasuryHTTP
@_spi(Inlining) import TreasuryModel

/// Sends GET requests to the Stripe API: key, pinned version and account headers, rate limit, timeouts, retries.
///
/// Built on Foundation's URLSession (libcurl on Linux), which ships with the
/// toolchain: the fetcher needs plain HTTPS GETs with headers and a timeout,
/// and async-http-client would add minutes to every clean build for nothing
/// more. Redirects are refused (the key must not follow one to another host).
/// Each attempt is bounded in time and size by `BoundedHTTP`.
package final class StripeClient: Sendable {
  package let base: APIBase
  package let stripeVersion: String
  package let policy: RetryPolicy
  package let timeout: Double
  /// Bytes one answer may hold; a larger one is refused, not retried.
  package let maxResponseBytes: Int
  let key: APIKey
  let limiter: RateLimiter
  let counters: FetchCounters
  private let http: BoundedHTTP
  private let stopped = Mutex(false)
  private let random = Mutex(SystemRandomNumberGenerator())

  package init(
    base: APIBase, key: APIKey, stripeVersion: String, policy: RetryPolicy, timeout: Double, limiter: RateLimiter,
    counters: FetchCounters, connections: Int, maxResponseBytes: Int = FetchOptions.defaultMaxResponseBytes
  ) {
    self.base = base
    self.key = key
    self.stripeVersion = stripeVersion
    self.policy = policy
    self.timeout = timeout
    self.maxResponseBytes = maxResponseBytes
    self.limiter = limiter
    self.counters = counters
    http = BoundedHTTP(connections: connections, idleTimeout: timeout)
  }

  deinit { http.invalidate() }

  /// Makes every later request fail at once (after the key was rejected).
  func stop() { stopped.withLock { $0 = true } }

  var isStopped: Bool { stopped.withLock { $0 } }

  /// Sends the request, retrying what is worth retrying, and returns the first 2xx answer.
  func get(_ request: APIRequest) async throws(FetchError) -> APIResponse {
    let label = key.redact(request.label)
    let httpRequest = try makeRequest(request, label: label)
    var last = ""
    for attempt in 1...max(1, policy.maxAttempts) {
      if isStopped { throw .stopped }
      do { try await limiter.acquire() } catch { throw .stopped }
      counters.request(retry: attempt > 1)
      let answer: BoundedHTTP.Answer
      do throws(BoundedHTTP.Failure) {
        answer = try await http.exchange(httpRequest, deadline: timeout, maxBytes: maxResponseBytes)
      } catch {
        let what: String
        switch error {
        case .tooLarge(let declared):
          throw .tooLarge(request: label, limit: maxResponseBytes, declared: declared)
        case .cancelled:
          throw .stopped
        case .invalidURL:
          throw .invalidResponse(request: label, reason: "cannot build the URL")
        case .deadline:
          what = "no complete answer within \(Self.seconds(timeout)) s (--timeout bounds each whole attempt)"
        case .transport(let underlying):
          let (retryable, described) = BoundedHTTP.describe(underlying)
          guard retryable else { throw .gaveUp(request: label, attempts: attempt, last: described) }
          what = described
        }
        last = what
        try await pause(afterAttempt: attempt, retryAfter: nil, maxAttempts: policy.maxAttempts)
        continue
      }
      let status = answer.status
      let body = answer.body
      if (200...299).contains(status) {
        if let echoed = answer.header("Stripe-Version"), echoed != stripeVersion {
          throw .invalidResponse(
            request: label,
            reason: "answered with Stripe-Version \(serverText(echoed)), not the pinned \(stripeVersion)")
        }
        // Stripe never sends a secret key back: an answer that holds ours is not stored anywhere, not even in part.
        if key.appears(inJSON: body) {
          throw .invalidResponse(
            request: label,
            reason:
              "the answer holds the API key (or a piece of it), which the Stripe API never sends back; nothing of it was stored: check --api-base"
          )
        }
        return APIResponse(body: body, serverTime: answer.header("Date").flatMap(Self.httpDate), attempts: attempt)
      }
      if status == 401 {
        stop()
        throw .rejectedKey(request: label)
      }
      // Stripe support asks for the request id; it is not secret, but a server can put anything in it.
      let requestID = answer.header("Request-Id").map { " (request id \(serverText($0)))" } ?? ""
      let detail = serverText(Self.errorDetail(body)) + requestID
      let shouldRetry = answer.header("Stripe-Should-Retry")
      guard RetryPolicy.isRetryable(status: status, shouldRetry: shouldRetry) else {
        if (300...399).contains(status) {
          throw .refused(request: label, status: status, detail: "a redirect, which is not followed")
        }
        let note = shouldRetry?.lowercased() == "false" ? " (Stripe-Should-Retry: false)" : ""
        throw .refused(request: label, status: status, detail: detail + note)
      }
      last = "HTTP \(status)" + (detail.isEmpty ? "" : ": " + detail)
      let retryAfter = answer.header("Retry-After").flatMap(Double.init)
      if status == 429 {
        // The limit is the key's, so every worker slows down, not only this one.
        limiter.pause(seconds: policy.delay(afterAttempt: attempt, retryAfter: retryAfter, random: 0.5))
      }
      try await pause(afterAttempt: attempt, retryAfter: retryAfter, maxAttempts: policy.maxAttempts)
    }
    throw .gaveUp(request: label, attempts: max(1, policy.maxAttempts), last: last)
  }

  /// Waits before the next attempt; a cancelled task stops instead of retrying at once.
  private func pause(afterAttempt attempt: Int, retryAfter: Double?, maxAttempts: Int) async throws(FetchError) {
    guard attempt < maxAttempts else { return }
    let r = random.withLock { Double.random(in: 0...1, using: &$0) }
    let seconds = policy.delay(afterAttempt: attempt, retryAfter: retryAfter, random: r)
    do {
      try await Task.sleep(for: .seconds(seconds))
    } catch {
      throw .stopped
    }
  }

  /// Text the server chose (headers, error messages), made fit for a message: no key, no control characters, short.
  func serverText(_ text: String) -> String {
    // Redacted before it is cut: a cut through the key would leave a piece too short to be recognised.
    let redacted = key.redact(text)
    let short = redacted.count <= 300 ? redacted : redacted.prefix(300) + "…"
    return String(String.UnicodeScalarView(short.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : $0 }))
  }

  /// `3` for 3.0, `2.5` for 2.5.
  static func seconds(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
  }

  private func makeRequest(_ request: APIRequest, label: String) throws(FetchError) -> HTTPRequest {
    let query = request.encodedQuery
    let url = base.url + request.path + (query.isEmpty ? "" : "?" + query)
    guard URL(string: url) != nil else { throw .invalidResponse(request: label, reason: "cannot build the URL") }
    var headers: [(name: String, value: String)] = [
      ("Authorization", key.authorization),
      ("Stripe-Version", stripeVersion),
      ("User-Agent", "treasury-report/\(TreasuryReportVersion.string)"),
      ("Accept", "application/json"),
    ]
    if let account = request.account { headers.append(("Stripe-Account", account)) }
    return HTTPRequest(url: url, headers: headers)
  }

  /// `type: message` from a Stripe error body (`{"error":{"type":…,"message":…}}`), or the body (64 KiB at most).
  static func errorDetail(_ body: [UInt8]) -> String {
    if let value = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
      let error = value["error"] as? [String: Any]
    {
      var parts: [String] = []
      if let type = error["type"] as? String { parts.append(type) }
      if let code = error["code"] as? String { parts.append(code) }
      let head = parts.joined(separator: "/")
      let message = error["message"] as? String ?? ""
      return String((head.isEmpty ? message : (message.isEmpty ? head : "\(head): \(message)")).prefix(64 << 10))
    }
    // Not cut to what a message shows: `serverText` cuts it after taking the key out.
    return String(decoding: body.prefix(64 << 10), as: UTF8.self)
  }

  /// Parses an HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`).
  static func httpDate(_ text: String) -> Int64? {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "GMT")
    formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
    return formatter.date(from: text).map { Int64($0.timeIntervalSince1970) }
  }
}
