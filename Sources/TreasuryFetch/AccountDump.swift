import Foundation
import TreasuryInput

/// The dump files of one account folder: read back before a run, merged with what the run fetched, rewritten whole.
///
/// Each file holds every object once, sorted by (created, id), so that a
/// resumed or incremental fetch writes the same bytes as one fresh full fetch
/// of the same data. Entries and financial accounts keep their latest copy; a
/// transaction keeps its most advanced one (posted or void beat open), then
/// the latest.
struct AccountDump {
  let folder: String
  /// The objects as read from disk; each keeps its line, so a file that would not change is not rewritten.
  var objects: [DumpList: [FetchedObject]] = [:]

  /// Reads the folder's dump files (missing files are empty), with the reader `statements` uses.
  init(folder: String) throws(FetchError) {
    self.folder = folder
    var reader = FetchedObjectReader()
    let buffer = ReadBuffer()
    for list in DumpList.allCases {
      let path = folder + "/" + list.fileName
      guard FileManager.default.fileExists(atPath: path) else {
        objects[list] = []
        continue
      }
      var parsed: [FetchedObject] = []
      var unusable: (line: Int, reason: String)? = nil
      do throws(InputError) {
        let gzip = try GzipByteSource(file: FileByteSource(path: path, hashing: false))
        let lines = LineReader(source: gzip, buffer: buffer)
        while unusable == nil, let line = try lines.next() {
          gzip.lastLine = lines.lineNumber
          if line.isEmpty { continue }
          switch reader.object(line, expecting: list.objectType) {
          case .success(let object): parsed.append(object)
          case .failure(let problem): unusable = (lines.lineNumber, problem.reason)
          }
        }
      } catch {
        throw .io(path: path, reason: "\(error.message); move the folder aside and fetch again")
      }
      if let unusable {
        throw .io(
          path: "\(path):\(unusable.line)",
          reason: "not an object fetch wrote (\(unusable.reason)); move the folder aside and fetch again")
      }
      objects[list] = parsed
    }
  }

  /// The transactions of one financial account, by id.
  func transactions(of fa: String) -> [String: FetchedObject] {
    var byID: [String: FetchedObject] = [:]
    for t in objects[.transactions] ?? [] where t.financialAccount == fa { byID[t.id] = t }
    return byID
  }

  func entries(of fa: String) -> [FetchedObject] {
    (objects[.transactionEntries] ?? []).filter { $0.financialAccount == fa }
  }

  /// Which copy of an object to keep: `candidate` (fetched later) unless `current` is a transaction further along.
  static func keeps(_ candidate: FetchedObject, over current: FetchedObject?) -> Bool {
    guard let current else { return true }
    return !(current.isSettled && !candidate.isSettled)
  }

  /// Merges `fetched` (in the order fetched) into the list and returns the merged objects, sorted.
  static func merge(_ existing: [FetchedObject], _ fetched: [FetchedObject]) -> [FetchedObject] {
    var byID: [String: FetchedObject] = [:]
    byID.reserveCapacity(existing.count + fetched.count)
    for object in existing + fetched where keeps(object, over: byID[object.id]) { byID[object.id] = object }
    return byID.values.sorted { ($0.created, $0.id) < ($1.created, $1.id) }
  }

  /// Writes each list whose content changed; returns the object count per list.
  func write(_ merged: [DumpList: [FetchedObject]]) throws(FetchError) -> [DumpList: Int] {
    var counts: [DumpList: Int] = [:]
    var wrote = false
    for list in DumpList.allCases {
      let objects = merged[list] ?? []
      counts[list] = objects.count
      let path = folder + "/" + list.fileName
      let old = self.objects[list] ?? []
      let unchanged = old.count == objects.count && zip(old, objects).allSatisfy { $0.line == $1.line }
      if unchanged && FileManager.default.fileExists(atPath: path) { continue }
      try AtomicFile.writeGzipLines(path, objects.map(\.line))
      wrote = true
    }
    if wrote { AtomicFile.syncFolder(folder) }
    return counts
  }
}
