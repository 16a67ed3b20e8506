import Foundation
import Synchronization
import TreasuryHTTP

/// Sends requests through `BoundedHTTP`, again after a retryable failure, waiting as `RetryPolicy` says.
///
/// Each attempt builds its request anew (a SigV4 signature holds the time it was made). Retried: timeouts,
/// dropped connections and whatever `retryable` names (429, 5xx, S3's `SlowDown`…); a cancelled task stops at
/// once, with `.cancelled`, instead of waiting or retrying.
package final class RetryingClient: Sendable {
  package let http: BoundedHTTP
  package let policy: RetryPolicy
  /// Seconds one exchange may take, sending and receiving included.
  package let timeout: Double
  private let random = Mutex(SystemRandomNumberGenerator())

  package init(policy: RetryPolicy, timeout: Double, connections: Int) {
    self.policy = policy
    self.timeout = timeout
    http = BoundedHTTP(connections: connections, idleTimeout: timeout)
  }

  deinit { http.invalidate() }

  /// The first answer `retryable` does not call retryable (it returns why to retry, or nil to keep the answer);
  /// throws `.retriesExhausted` naming the last failure once the attempts are spent. `url` is for messages.
  package func send(
    url: String, maxBytes: Int, _ build: () async throws(StorageError) -> HTTPRequest,
    retryable: (BoundedHTTP.Answer) -> String?
  ) async throws(StorageError) -> BoundedHTTP.Answer {
    let attempts = max(1, policy.maxAttempts)
    var last = ""
    for attempt in 1...attempts {
      if Task.isCancelled { throw .cancelled(url: url) }
      let request = try await build()
      var retryAfter: Double?
      do {
        let answer = try await http.exchange(request, deadline: timeout, maxBytes: maxBytes)
        guard let why = retryable(answer) else { return answer }
        last = why
        retryAfter = answer.header("Retry-After").flatMap(Double.init)
      } catch {
        switch error {
        case .cancelled: throw .cancelled(url: url)
        case .deadline: last = "no complete answer within \(Int(timeout)) s"
        case .tooLarge(let declared):
          throw .unexpectedAnswer(url: url, reason: "an answer larger than \(declared ?? Int64(maxBytes)) bytes")
        case .invalidURL: throw .invalidSettings("\(url): cannot build a URL for this request")
        case .transport(let underlying):
          let (again, what) = BoundedHTTP.describe(underlying)
          guard again else { throw .transport(url: url, reason: what) }
          last = what
        }
      }
      guard attempt < attempts else { break }
      let r = random.withLock { Double.random(in: 0...1, using: &$0) }
      do {
        try await Task.sleep(for: .seconds(policy.delay(afterAttempt: attempt, retryAfter: retryAfter, random: r)))
      } catch {
        throw .cancelled(url: url)
      }
    }
    throw .retriesExhausted(url: url, attempts: attempts, last: last)
  }
}
