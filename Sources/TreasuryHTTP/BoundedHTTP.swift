import Foundation
import Synchronization

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

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
package final class BoundedHTTP: NSObject, URLSessionDataDelegate, Sendable {
  /// A complete answer: status, headers, the whole body.
  package struct Answer: Sendable {
    package var status: Int
    /// Header names in lower case.
    var headers: [String: String]
    package var body: [UInt8]

    package func header(_ name: String) -> String? { headers[name.lowercased()] }
  }

  package enum Failure: Error {
    /// The whole answer did not arrive before the deadline.
    case deadline
    /// The body would exceed the cap; `declared` is its Content-Length when it announced one.
    case tooLarge(declared: Int64?)
    /// The task running the exchange was cancelled.
    case cancelled
    /// The transport failed (connection refused or dropped, TLS, DNS…).
    case transport(Error)
    /// The request's URL does not parse.
    case invalidURL
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
  package init(connections: Int, idleTimeout: Double) {
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
  package func invalidate() { session.withLock { $0?.finishTasksAndInvalidate() } }

  /// Sends `request` (with its body, if any) and returns the whole answer, or fails once `deadline` seconds pass
  /// (sending included) or the answer's body passes `maxBytes`. A HEAD's answer has no body, whatever its
  /// `Content-Length` says.
  ///
  /// A URL that does not parse fails as `.transport` (described as "cannot build the URL").
  package func exchange(_ request: HTTPRequest, deadline: Double, maxBytes: Int) async throws(Failure) -> Answer {
    guard let url = URL(string: request.url) else { throw .invalidURL }
    var urlRequest = URLRequest(url: url)
    urlRequest.httpMethod = request.method
    urlRequest.timeoutInterval = deadline
    for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
    if let body = request.body {
      urlRequest.httpBody = Data(body)
      // libcurl would otherwise wait up to a second for a `100 Continue` before sending a large body.
      urlRequest.setValue("", forHTTPHeaderField: "Expect")
    }
    guard let task = session.withLock({ $0?.dataTask(with: urlRequest) }) else { throw .cancelled }
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
      case .transport, .invalidURL: break  // the task has ended
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

  package func urlSession(
    _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
    completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void
  ) {
    let id = dataTask.taskIdentifier
    // A HEAD's Content-Length is the size of what a GET would send: no body comes, nothing to refuse or reserve.
    let declared = dataTask.originalRequest?.httpMethod == "HEAD" ? -1 : response.expectedContentLength
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

  package func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
    let id = dataTask.taskIdentifier
    let over = transfers.withLock { (all) -> Bool in
      guard let limit = all[id]?.maxBytes, let count = all[id]?.body.count else { return false }
      if count + data.count > limit { return true }
      all[id]?.body.append(data)
      return false
    }
    if over { finish(id, .tooLarge(declared: nil)) }
  }

  package func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
    if let error {
      finish(task.taskIdentifier, .transport(error))
    } else {
      finish(task.taskIdentifier, nil, response: task.response)
    }
  }

  package func urlSession(
    _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
  ) {
    completionHandler(nil)
  }

  /// Whether a transport error is worth another attempt, and how to name it.
  package static func describe(_ error: Error) -> (retryable: Bool, what: String) {
    guard let urlError = error as? URLError else { return (true, "network error: \(error)") }
    switch urlError.code {
    case .timedOut: return (true, "timed out")
    case .networkConnectionLost, .badServerResponse, .zeroByteResource, .cannotParseResponse, .unknown:
      return (true, "connection dropped or answer cut short")
    case .unsupportedURL:
      // `exchange` refuses a URL that does not parse before sending; libcurl reports a server that closes the
      // connection while a request body is still being sent as this (seen against moto's fault injection).
      return (true, "connection dropped while sending")
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
}
