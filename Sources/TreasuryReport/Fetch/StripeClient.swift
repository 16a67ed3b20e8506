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
/// Each attempt is bounded in time and size by `BoundedHTTP`.
public final class StripeClient: Sendable {
  public let base: APIBase
  public let stripeVersion: String
  public let policy: RetryPolicy
  public let timeout: Double
  /// Bytes one answer may hold; a larger one is refused, not retried.
  public let maxResponseBytes: Int
  let key: APIKey
  let limiter: RateLimiter
  let counters: FetchCounters
  private let http: BoundedHTTP
  private let stopped = Mutex(false)
  private let random = Mutex(SystemRandomNumberGenerator())

  public init(
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
    let urlRequest = try makeRequest(request, label: label)
    var last = ""
    for attempt in 1...max(1, policy.maxAttempts) {
      if isStopped { throw .stopped }
      await limiter.acquire()
      counters.request(retry: attempt > 1)
      let answer: BoundedHTTP.Answer
      do throws(BoundedHTTP.Failure) {
        answer = try await http.exchange(urlRequest, deadline: timeout, maxBytes: maxResponseBytes)
      } catch {
        let what: String
        switch error {
        case .tooLarge(let declared):
          throw .tooLarge(request: label, limit: maxResponseBytes, declared: declared)
        case .cancelled:
          throw .stopped
        case .deadline:
          what = "no complete answer within \(Self.seconds(timeout)) s (--timeout bounds each whole attempt)"
        case .transport(let underlying):
          let (retryable, described) = Self.describe(underlying)
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

/// One HTTP exchange bounded in time (connect, headers and body together) and in size.
///
/// URLSession on Linux times out only when no byte arrives for the timeout
/// (libcurl's timer restarts on every read), so a server that drips a byte a
/// second never times out; and `data(for:)` buffers whatever a server sends.
/// Here data tasks report to this delegate instead: it collects the body,
/// refuses an answer that declares more than the cap before reading it, stops
/// one that grows past it, and a deadline started with the request cancels
/// the task. It knows nothing of Stripe (S3 or any other API can use it).
/// Redirects are never followed: one would carry the credentials elsewhere.
final class BoundedHTTP: NSObject, URLSessionDataDelegate, Sendable {
  /// A complete answer: status, headers, the whole body.
  struct Answer: Sendable {
    var status: Int
    /// Header names in lower case.
    var headers: [String: String]
    var body: [UInt8]

    func header(_ name: String) -> String? { headers[name.lowercased()] }
  }

  enum Failure: Error {
    /// The whole answer did not arrive before the deadline.
    case deadline
    /// The body would exceed the cap; `declared` is its Content-Length when it announced one.
    case tooLarge(declared: Int64?)
    /// The task running the exchange was cancelled.
    case cancelled
    /// The transport failed (connection refused or dropped, TLS, DNS…).
    case transport(Error)
  }

  /// Unchecked: URLSessionTask is not marked Sendable on Linux, but `cancel()` is safe from any thread (and only the
  /// lock's holder touches the rest).
  private struct Transfer: @unchecked Sendable {
    var task: URLSessionDataTask
    var continuation: CheckedContinuation<Answer, Error>
    var deadline: DispatchWorkItem
    var maxBytes: Int
    /// Data, not [UInt8]: appending is a copy in Foundation's own (optimised) code, which keeps up with the socket.
    var body = Data()
  }

  private let transfers = Mutex<[Int: Transfer]>([:])
  private let session = Mutex<URLSession?>(nil)

  /// `idleTimeout` is libcurl's own (no byte for that long); the deadline of each exchange is the real bound.
  init(connections: Int, idleTimeout: Double) {
    super.init()
    let configuration = URLSessionConfiguration.ephemeral
    configuration.timeoutIntervalForRequest = idleTimeout
    configuration.timeoutIntervalForResource = idleTimeout
    configuration.httpMaximumConnectionsPerHost = max(2, connections)
    configuration.httpShouldSetCookies = false
    configuration.urlCache = nil
    configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
    // The session keeps its delegate until invalidated: the owner calls `invalidate()` to break that cycle.
    session.withLock { $0 = URLSession(configuration: configuration, delegate: self, delegateQueue: nil) }
  }

  /// Ends the session once its tasks are done (it holds this delegate until then).
  func invalidate() { session.withLock { $0?.finishTasksAndInvalidate() } }

  /// Sends `request` and returns the whole answer, or fails once `deadline` seconds pass or the body passes `maxBytes`.
  func exchange(_ request: URLRequest, deadline: Double, maxBytes: Int) async throws(Failure) -> Answer {
    guard let task = session.withLock({ $0?.dataTask(with: request) }) else { throw .cancelled }
    let id = task.taskIdentifier
    do {
      return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Answer, Error>) in
          let timer = DispatchWorkItem { [weak self] in self?.finish(id, .deadline) }
          transfers.withLock {
            $0[id] = Transfer(task: task, continuation: continuation, deadline: timer, maxBytes: maxBytes)
          }
          let milliseconds = Int(min(max(deadline, 0), 365 * 86_400) * 1000)
          DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(milliseconds), execute: timer)
          task.resume()
          if Task.isCancelled { finish(id, .cancelled) }
        }
      } onCancel: {
        finish(id, .cancelled)
      }
    } catch let failure as Failure {
      throw failure
    } catch {
      throw .transport(error)
    }
  }

  /// Ends a transfer once (later events for it are ignored): cancels the task unless it completed, resumes the caller.
  private func finish(_ id: Int, _ failure: Failure?, response: URLResponse? = nil) {
    guard let transfer = transfers.withLock({ $0.removeValue(forKey: id) }) else { return }
    transfer.deadline.cancel()
    if let failure {
      switch failure {
      case .transport: break  // the task has ended
      case .deadline, .tooLarge, .cancelled:
        // Not on this queue: `cancel()` waits for the session's work queue, which a flooding server keeps busy, and
        // meanwhile this delegate queue would hold every chunk still arriving.
        let task = transfer.task
        DispatchQueue.global().async { task.cancel() }
      }
      transfer.continuation.resume(throwing: failure)
      return
    }
    guard let http = response as? HTTPURLResponse else {
      transfer.continuation.resume(throwing: Failure.transport(URLError(.badServerResponse)))
      return
    }
    var headers: [String: String] = [:]
    for case (let name as String, let value as String) in http.allHeaderFields { headers[name.lowercased()] = value }
    transfer.continuation.resume(
      returning: Answer(status: http.statusCode, headers: headers, body: [UInt8](transfer.body)))
  }

  func urlSession(
    _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
    completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void
  ) {
    let id = dataTask.taskIdentifier
    let declared = response.expectedContentLength
    let tooLarge = transfers.withLock { (all) -> Bool in
      guard let limit = all[id]?.maxBytes else { return false }
      if declared > Int64(limit) { return true }
      // A declared length within the cap is allocated once, not grown into.
      if declared > 0 { all[id]?.body.reserveCapacity(Int(declared)) }
      return false
    }
    if tooLarge {
      finish(id, .tooLarge(declared: declared))
      completionHandler(.cancel)
    } else {
      completionHandler(.allow)
    }
  }

  func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
    let id = dataTask.taskIdentifier
    let over = transfers.withLock { (all) -> Bool in
      guard let limit = all[id]?.maxBytes, let count = all[id]?.body.count else { return false }
      if count + data.count > limit { return true }
      all[id]?.body.append(data)
      return false
    }
    if over { finish(id, .tooLarge(declared: nil)) }
  }

  func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
    if let error {
      finish(task.taskIdentifier, .transport(error))
    } else {
      finish(task.taskIdentifier, nil, response: task.response)
    }
  }

  func urlSession(
    _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
  ) {
    completionHandler(nil)
  }
}
