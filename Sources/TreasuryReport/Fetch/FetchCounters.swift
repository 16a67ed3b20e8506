import Synchronization

/// Running totals of a fetch, shared by every worker (for the progress line and the summary).
public final class FetchCounters: Sendable {
  public struct Snapshot: Sendable {
    public var requests = 0
    public var retries = 0
    public var objects = 0
    public var pages = 0
    public var listsDone = 0
    /// What each worker is doing now, by worker.
    public var current: [String: String] = [:]
  }

  private let state = Mutex(Snapshot())

  public init() {}

  public var snapshot: Snapshot { state.withLock { $0 } }

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
