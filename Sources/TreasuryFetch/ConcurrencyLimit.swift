import Synchronization

/// At most `limit` holders at once (an async semaphore): bounds how many financial accounts are fetched in parallel.
final class ConcurrencyLimit: Sendable {
  private let state: Mutex<(available: Int, waiters: [CheckedContinuation<Void, Never>])>

  init(_ limit: Int) {
    state = Mutex((max(1, limit), []))
  }

  func acquire() async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      let granted = state.withLock { s -> Bool in
        if s.available > 0 {
          s.available -= 1
          return true
        }
        s.waiters.append(continuation)
        return false
      }
      if granted { continuation.resume() }
    }
  }

  func release() {
    let next = state.withLock { s -> CheckedContinuation<Void, Never>? in
      if s.waiters.isEmpty {
        s.available += 1
        return nil
      }
      return s.waiters.removeFirst()
    }
    next?.resume()
  }

  func withPermit<T: Sendable>(_ body: () async throws(FetchError) -> T) async throws(FetchError) -> T {
    await acquire()
    defer { release() }
    return try await body()
  }
}
