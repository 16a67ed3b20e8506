/// Runs an async body once per index with at most `limit` bodies running at once.
///
/// Uploads and downloads go through it, so `--s3-concurrency` bounds the objects in flight whatever their
/// number; results come back in index order, so reports do not depend on timing.
enum BoundedTasks {
  static func map<T: Sendable>(
    _ count: Int, limit: Int, _ body: @escaping @Sendable (Int) async -> T
  ) async -> [T] {
    await withTaskGroup(of: (Int, T).self) { group in
      var results = [T?](repeating: nil, count: count)
      var next = 0
      func start() {
        let i = next
        next += 1
        group.addTask { (i, await body(i)) }
      }
      while next < min(count, max(1, limit)) { start() }
      while let (i, value) = await group.next() {
        results[i] = value
        if next < count { start() }
      }
      return results.map { $0! }
    }
  }
}
