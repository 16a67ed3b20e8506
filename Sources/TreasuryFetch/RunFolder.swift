import Foundation

/// A fetch in progress, under `DUMPS/.fetch-state/run/`: what it was asked to do and every page fetched so far.
///
/// Each page is one part file, written atomically; the part is the
/// checkpoint (it records the cursor after the page), so a killed fetch
/// resumes after the last part and never loses or repeats a page. Parts are
/// merged into the dumps when an account is complete, then the account is
/// marked committed; the folder is removed when every account is.
struct RunFolder {
  let root: String

  /// What makes a run itself; a resumed fetch must ask for the same.
  struct Plan: Codable, Equatable {
    var apiBase: String
    var stripeVersion: String
    var accounts: [String]
    var allAccounts: Bool
    var platform: Bool
    var since: Int64?
    var overlap: Int64
    var pageSize: Int
    /// `--shard K/N`; nil: unsharded.
    var shard: String? = nil

    enum CodingKeys: String, CodingKey {
      case apiBase = "api_base"
      case stripeVersion = "stripe_version"
      case accounts
      case allAccounts = "all_accounts"
      case platform, since, overlap
      case pageSize = "page_size"
      case shard
    }
  }

  /// The first line of a part file.
  struct PartHeader: Codable, Equatable {
    var seq: Int
    var hasMore: Bool
    /// The last id of the page: `starting_after` for the next one.
    var cursor: String?
    /// The server's clock when the page was answered.
    var serverTime: Int64?
    var requests: Int
    var retries: Int
    var count: Int
    /// The list's filters (without `limit` and `starting_after`): a resumed list goes on with the same ones.
    var query: [[String]]? = nil

    enum CodingKeys: String, CodingKey {
      case query
      case seq
      case hasMore = "has_more"
      case cursor
      case serverTime = "server_time"
      case requests, retries, count
    }
  }

  struct Part {
    var header: PartHeader
    var objects: [FetchedObject]
  }

  var planPath: String { root + "/run.json" }

  func loadPlan() throws(FetchError) -> Plan? { try StateFolder.load(planPath) }

  func save(_ plan: Plan) throws(FetchError) { try StateFolder.save(plan, planPath) }

  /// The parts of one list, in order.
  func parts(_ list: String, type: String) throws(FetchError) -> [Part] {
    let folder = root + "/" + list
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
      .filter { $0.hasSuffix(".part") && !$0.hasPrefix(".") }.sorted()
    var parts: [Part] = []
    var reader = FetchedObjectReader()
    for name in names {
      let path = folder + "/" + name
      guard let bytes = try AtomicFile.read(path) else { continue }
      let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)
      guard let first = lines.first,
        let header = try? JSONDecoder().decode(PartHeader.self, from: Data(first))
      else {
        throw .io(path: path, reason: "a checkpoint is unreadable; run fetch with --restart to start this run over")
      }
      var objects: [FetchedObject] = []
      for line in lines.dropFirst() {
        switch line.withUnsafeBytes({ reader.object($0, expecting: type) }) {
        case .success(let object): objects.append(object)
        case .failure(let problem):
          throw .io(path: path, reason: "a checkpoint is unreadable (\(problem.reason)); run fetch with --restart")
        }
      }
      parts.append(Part(header: header, objects: objects))
    }
    return parts
  }

  /// Writes one page atomically: once this returns, a resumed fetch continues after it.
  func writePart(_ list: String, _ header: PartHeader, _ objects: [FetchedObject]) throws(FetchError) {
    var bytes: [UInt8] = []
    do {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys]
      bytes = [UInt8](try encoder.encode(header))
    } catch {
      throw .io(path: root + "/" + list, reason: "cannot encode a checkpoint: \(error)")
    }
    bytes.append(UInt8(ascii: "\n"))
    for object in objects {
      bytes += object.line
      bytes.append(UInt8(ascii: "\n"))
    }
    let name = String(header.seq)
    let padded = String(repeating: "0", count: max(0, 6 - name.count)) + name
    try AtomicFile.write(root + "/" + list + "/" + padded + ".part", bytes)
  }

  /// Whether any page was saved (under `folder`, a list path prefix, when given).
  func hasParts(under folder: String? = nil) -> Bool {
    let start = folder.map { root + "/" + $0 } ?? root
    guard let walker = FileManager.default.enumerator(atPath: start) else { return false }
    while let relative = walker.nextObject() as? String {
      if relative.hasSuffix(".part") { return true }
    }
    return false
  }

  private func committedMarker(_ folder: String) -> String { root + "/" + folder + "/committed" }

  func isCommitted(_ folder: String) -> Bool { FileManager.default.fileExists(atPath: committedMarker(folder)) }

  func markCommitted(_ folder: String) throws(FetchError) { try AtomicFile.write(committedMarker(folder), []) }

  /// Removes the whole run (after every account was committed, or on --restart).
  ///
  /// Renamed aside first, in one step: a fetch killed while deleting must not
  /// leave a half-deleted run that looks like an unfinished one.
  func remove() throws(FetchError) {
    let aside = root + ".discarded"
    try AtomicFile.remove(aside)
    if FileManager.default.fileExists(atPath: root) {
      guard rename(root, aside) == 0 else {
        throw .io(path: root, reason: "cannot remove the finished run: \(String(cString: strerror(errno)))")
      }
    }
    try AtomicFile.remove(aside)
  }

  /// Removes temporary files a killed fetch left behind (`.NAME.tmp`) under `folder`.
  static func removeTemporaries(under folder: String) {
    guard let walker = FileManager.default.enumerator(atPath: folder) else { return }
    while let relative = walker.nextObject() as? String {
      let name = (relative as NSString).lastPathComponent
      if name.hasPrefix(".") && name.hasSuffix(".tmp") {
        try? FileManager.default.removeItem(atPath: folder + "/" + relative)
      }
    }
  }
}
