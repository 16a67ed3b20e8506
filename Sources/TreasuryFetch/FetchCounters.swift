import Synchronization

/// Running totals of a fetch, shared by every worker (for the progress line and the summary).
package final class FetchCounters: Sendable {
  package struct Snapshot: Sendable {
    package var requests = 0
    package var retries = 0
    package var objects = 0
    package var pages = 0
    package var listsDone = 0
    /// What each worker is doing now, by worker.
    package var current: [String: String] = [:]
  }

  private let state = Mutex(Snapshot())

  package init() {}

  package var snapshot: Snapshot { state.withLock { $0 } }

  func request(retry: Bool) {
    state.withLock {
      $0.requests += 1
      if retry { $0.retries += 1 }
    }
  }

  func page(objects: Int) {
    state.withLock {
      $0.pages += 1
      $0.objects += objects
    }
  }

  func listDone() { state.withLock { $0.listsDone += 1 } }

  func working(_ worker: String, on text: String?) {
    state.withLock { $0.current[worker] = text }
  }
}
