import Foundation
import Synchronization

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// Sends GET requests to the Stripe API: key, pinned version and account headers, rate limit, timeouts, retries.
///
/// Built on Foundation's URLSession (libcurl on Linux), which ships with the
/// toolchain: the fetcher needs plain HTTPS GETs with headers and a timeout,
/// and async-http-client would add minutes to every clean build for nothing
/// more. Redirects are refused (the key must not follow one to another host).
public final class StripeClient: Sendable {
  public let base: APIBase
  public let stripeVersion: String
  public let policy: RetryPolicy
  public let timeout: Double
  let key: APIKey
  let limiter: RateLimiter
  let counters: FetchCounters
  private let session: URLSession
  private let stopped = Mutex(false)
  private let random = Mutex(SystemRandomNumberGenerator())

  public init(
    base: APIBase, key: APIKey, stripeVersion: String, policy: RetryPolicy, timeout: Double, limiter: RateLimiter,
    counters: FetchCounters, connections: Int
  ) {
    self.base = base
    self.key = key
    self.stripeVersion = stripeVersion
    self.policy = policy
    self.timeout = timeout
    self.limiter = limiter
    self.counters = counters
    let configuration = URLSessionConfiguration.ephemeral
    configuration.timeoutIntervalForRequest = timeout
    configuration.timeoutIntervalForResource = timeout
    configuration.httpMaximumConnectionsPerHost = max(2, connections)
    configuration.httpShouldSetCookies = false
    configuration.urlCache = nil
    configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
    session = URLSession(configuration: configuration, delegate: RedirectRefusal(), delegateQueue: nil)
  }

  deinit { session.finishTasksAndInvalidate() }

  /// Makes every later request fail at once (after the key was rejected).
  func stop() { stopped.withLock { $0 = true } }

  var isStopped: Bool { stopped.withLock { $0 } }

  /// Sends the request, retrying what is worth retrying, and returns the first 2xx answer.
  func get(_ request: APIRequest) async throws(FetchError) -> APIResponse {
    let label = key.redact(request.label)
    let urlRequest = try makeRequest(request, label: label)
    var last = ""
    for attempt in 1...max(1, policy.maxAttempts) {
      if isStopped { throw .stopped }
      await limiter.acquire()
      counters.request(retry: attempt > 1)
      let outcome: (Data, URLResponse)
      do {
        outcome = try await session.data(for: urlRequest)
      } catch {
        let (retryable, what) = Self.describe(error)
        last = what
        guard retryable else { throw .gaveUp(request: label, attempts: attempt, last: what) }
        await pause(afterAttempt: attempt, retryAfter: nil, maxAttempts: policy.maxAttempts)
        continue
      }
      guard let http = outcome.1 as? HTTPURLResponse else {
        throw .invalidResponse(request: label, reason: "not an HTTP answer")
      }
      let status = http.statusCode
      let body = [UInt8](outcome.0)
      if (200...299).contains(status) {
        if let echoed = http.value(forHTTPHeaderField: "Stripe-Version"), echoed != stripeVersion {
          throw .invalidResponse(
            request: label, reason: "answered with Stripe-Version \(echoed), not the pinned \(stripeVersion)")
        }
        return APIResponse(
          body: body, serverTime: http.value(forHTTPHeaderField: "Date").flatMap(Self.httpDate), attempts: attempt)
      }
      if status == 401 {
        stop()
        throw .rejectedKey(request: label)
      }
      // Stripe support asks for the request id; it is not secret.
      let requestID = http.value(forHTTPHeaderField: "Request-Id").map { " (request id \($0))" } ?? ""
      let detail = key.redact(Self.errorDetail(body)) + requestID
      let shouldRetry = http.value(forHTTPHeaderField: "Stripe-Should-Retry")
      guard RetryPolicy.isRetryable(status: status, shouldRetry: shouldRetry) else {
        if (300...399).contains(status) {
          throw .refused(request: label, status: status, detail: "a redirect, which is not followed")
        }
        let note = shouldRetry?.lowercased() == "false" ? " (Stripe-Should-Retry: false)" : ""
        throw .refused(request: label, status: status, detail: detail + note)
      }
      last = "HTTP \(status)" + (detail.isEmpty ? "" : ": " + detail)
      let retryAfter = http.value(forHTTPHeaderField: "Retry-After").flatMap(Double.init)
      if status == 429 {
        // The limit is the key's, so every worker slows down, not only this one.
        limiter.pause(seconds: policy.delay(afterAttempt: attempt, retryAfter: retryAfter, random: 0.5))
      }
      await pause(afterAttempt: attempt, retryAfter: retryAfter, maxAttempts: policy.maxAttempts)
    }
    throw .gaveUp(request: label, attempts: max(1, policy.maxAttempts), last: last)
  }

  private func pause(afterAttempt attempt: Int, retryAfter: Double?, maxAttempts: Int) async {
    guard attempt < maxAttempts else { return }
    let r = random.withLock { Double.random(in: 0...1, using: &$0) }
    let seconds = policy.delay(afterAttempt: attempt, retryAfter: retryAfter, random: r)
    try? await Task.sleep(for: .seconds(seconds))
  }

  private func makeRequest(_ request: APIRequest, label: String) throws(FetchError) -> URLRequest {
    let query = request.encodedQuery
    guard let url = URL(string: base.url + request.path + (query.isEmpty ? "" : "?" + query)) else {
      throw .invalidResponse(request: label, reason: "cannot build the URL")
    }
    var r = URLRequest(url: url)
    r.httpMethod = "GET"
    r.timeoutInterval = timeout
    r.setValue(key.authorization, forHTTPHeaderField: "Authorization")
    r.setValue(stripeVersion, forHTTPHeaderField: "Stripe-Version")
    r.setValue("treasury-report/\(TreasuryReportVersion.string)", forHTTPHeaderField: "User-Agent")
    r.setValue("application/json", forHTTPHeaderField: "Accept")
    if let account = request.account { r.setValue(account, forHTTPHeaderField: "Stripe-Account") }
    return r
  }

  /// Whether a transport error is worth another attempt, and how to name it.
  static func describe(_ error: Error) -> (retryable: Bool, what: String) {
    guard let urlError = error as? URLError else { return (true, "network error: \(error)") }
    switch urlError.code {
    case .timedOut: return (true, "timed out")
    case .networkConnectionLost, .badServerResponse, .zeroByteResource, .cannotParseResponse, .unknown:
      return (true, "connection dropped or answer cut short")
    case .cannotConnectToHost: return (true, "cannot connect")
    case .cannotFindHost, .dnsLookupFailed: return (true, "cannot resolve the host name")
    case .notConnectedToInternet, .resourceUnavailable, .internationalRoamingOff, .callIsActive,
      .dataNotAllowed:
      return (true, "network unavailable")
    case .secureConnectionFailed: return (true, "TLS handshake failed")
    case .serverCertificateUntrusted, .serverCertificateHasBadDate, .serverCertificateNotYetValid,
      .serverCertificateHasUnknownRoot, .clientCertificateRejected, .clientCertificateRequired:
      return (false, "the server's TLS certificate was not accepted")
    case .cancelled: return (false, "cancelled")
    default: return (false, "network error \(urlError.code.rawValue)")
    }
  }

  /// `type: message` from a Stripe error body (`{"error":{"type":…,"message":…}}`), or the start of the body.
  static func errorDetail(_ body: [UInt8]) -> String {
    if let value = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
      let error = value["error"] as? [String: Any]
    {
      var parts: [String] = []
      if let type = error["type"] as? String { parts.append(type) }
      if let code = error["code"] as? String { parts.append(code) }
      let head = parts.joined(separator: "/")
      let message = error["message"] as? String ?? ""
      return head.isEmpty ? message : (message.isEmpty ? head : "\(head): \(message)")
    }
    let text = String(decoding: body.prefix(200), as: UTF8.self)
    return text.unicodeScalars.map { $0.value < 0x20 ? " " : String($0) }.joined()
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

/// Refuses every redirect: the API never redirects, and following one would send the key elsewhere.
private final class RedirectRefusal: NSObject, URLSessionTaskDelegate, Sendable {
  func urlSession(
    _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
  ) {
    completionHandler(nil)
  }
}
