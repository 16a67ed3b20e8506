import Foundation

/// Pages a Stripe list with `starting_after`, and retrieves objects by id, one atomic checkpoint per page.
///
/// Resuming reads the parts already written and continues after the last
/// one. A page that repeats an object already listed, or claims more on an
/// empty page, means the cursor did not advance: an error, never a loop.
struct ListPager {
  let client: StripeClient
  let run: RunFolder
  let counters: FetchCounters
  let pageSize: Int

  struct Result {
    /// Every object of every page, in the order fetched.
    var objects: [FetchedObject] = []
    /// The server's clock when the first page was answered.
    var firstServerTime: Int64?
    var stats = ListStats()
  }

  /// What the parts an earlier attempt saved already hold: their objects, counts, and the ids seen.
  private static func resumed(_ parts: [RunFolder.Part]) -> (Result, Set<String>) {
    var result = Result()
    var seen = Set<String>()
    for part in parts {
      result.objects += part.objects
      result.stats.pages += 1
      result.stats.requests += part.header.requests
      result.stats.retries += part.header.retries
      result.stats.fetched += part.header.count
      for object in part.objects { seen.insert(object.id) }
    }
    return (result, seen)
  }

  /// Every page of `request` (a list endpoint), from the first or from where an earlier attempt stopped.
  func list(_ list: String, _ request: APIRequest, itemType: String, worker: String) async throws(FetchError) -> Result
  {
    let parts = try run.parts(list, type: itemType)
    var (result, seen) = Self.resumed(parts)
    result.firstServerTime = parts.first?.header.serverTime
    var last = parts.last?.header
    // The window is the one the list started with, even if the state it came from has changed since.
    var filters = request.query
    if let recorded = parts.first?.header.query {
      filters = recorded.compactMap { $0.count == 2 ? ($0[0], $0[1]) : nil }
    }
    while last?.hasMore ?? true {
      let seq = (last?.seq ?? 0) + 1
      var r = request
      r.query = filters
      r.query.append(("limit", String(pageSize)))
      if let cursor = last?.cursor { r.query.append(("starting_after", cursor)) }
      counters.working(worker, on: "\(list) page \(seq)")
      let started = Int64(Date().timeIntervalSince1970)
      let response = try await client.get(r)
      let page: ListPage
      do {
        page = try ListPage.parse(response.body, itemType: itemType)
      } catch {
        throw .invalidResponse(request: client.key.redact(r.label), reason: error.reason)
      }
      if page.hasMore && page.objects.isEmpty {
        throw .invalidResponse(
          request: r.label, reason: "an empty page with has_more true: the cursor does not advance")
      }
      for object in page.objects where !seen.insert(object.id).inserted {
        throw .invalidResponse(
          request: r.label,
          reason: "the page repeats \(object.id), which an earlier page already listed: the cursor does not advance")
      }
      let header = RunFolder.PartHeader(
        seq: seq, hasMore: page.hasMore, cursor: page.objects.last?.id ?? last?.cursor,
        serverTime: response.serverTime ?? started, requests: response.attempts, retries: response.attempts - 1,
        count: page.objects.count, query: filters.map { [$0.0, $0.1] })
      try run.writePart(list, header, page.objects)
      counters.page(objects: page.objects.count)
      if result.firstServerTime == nil { result.firstServerTime = header.serverTime }
      result.objects += page.objects
      result.stats.pages += 1
      result.stats.requests += header.requests
      result.stats.retries += header.retries
      result.stats.fetched += header.count
      last = header
    }
    counters.listDone()
    counters.working(worker, on: nil)
    return result
  }

  /// Retrieves each id (`GET path(id)`), checkpointing every `batch` objects; ids already retrieved are skipped.
  func retrieve(
    _ list: String, ids: [String], path: (String) -> String, account: String?, itemType: String, worker: String,
    batch: Int = 25
  ) async throws(FetchError) -> Result {
    let parts = try run.parts(list, type: itemType)
    var (result, done) = Self.resumed(parts)
    var seq = parts.last?.header.seq ?? 0
    var pending: [FetchedObject] = []
    var requests = 0
    var retries = 0
    func flush() throws(FetchError) {
      guard !pending.isEmpty else { return }
      seq += 1
      let header = RunFolder.PartHeader(
        seq: seq, hasMore: false, cursor: nil, serverTime: nil, requests: requests, retries: retries,
        count: pending.count)
      try run.writePart(list, header, pending)
      counters.page(objects: pending.count)
      result.objects += pending
      result.stats.pages += 1
      result.stats.requests += requests
      result.stats.retries += retries
      result.stats.fetched += pending.count
      pending = []
      requests = 0
      retries = 0
    }
    for id in ids where !done.contains(id) {
      let r = APIRequest(path: path(id), account: account)
      counters.working(worker, on: "\(list) \(id)")
      let response = try await client.get(r)
      let object: FetchedObject
      do {
        object = try ListPage.parseObject(response.body, type: itemType)
      } catch {
        throw .invalidResponse(request: r.label, reason: error.reason)
      }
      guard object.id == id else {
        throw .invalidResponse(request: r.label, reason: "asked for \(id), received \(object.id)")
      }
      pending.append(object)
      requests += response.attempts
      retries += response.attempts - 1
      if pending.count >= batch { try flush() }
    }
    try flush()
    counters.working(worker, on: nil)
    return result
  }
}
