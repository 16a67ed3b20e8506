import Foundation
@_spi(Inlining) import TreasuryModel
import TreasuryStorage

/// The shards of one sharded run in the storage target: each shard's fetched dumps, and the record that completes it.
///
/// `run --shard K/N --as-of T` uploads its dumps folder (the account folders and `fetch-manifest.json`, not the
/// hidden fetch state) under `shards/<T>/<K>-of-<N>/<attempt>/`, every object created once and never replaced,
/// then `shards/<T>/<K>-of-<N>.json`, the record listing them with their SHA-256. The record is created last and
/// never replaced, so the first complete attempt of a shard is the one the merge reads; a rerun of a shard whose
/// record exists uploads nothing. `run --merge-shards N --as-of T` reads every record (a missing one is an error
/// naming the shards to run again), downloads the files and checks them against their SHA-256.
struct ShardSet {
  var store: any ObjectStore
  /// The as-of instant as a key: `20260404T063000Z`.
  var label: String
  var count: Int

  static let folder = "shards"

  init(store: any ObjectStore, asOf: Date, count: Int) {
    self.store = store
    self.label = Self.label(asOf)
    self.count = count
  }

  /// `20260404T063000Z`: the instant, UTC, as the shard set's folder name.
  static func label(_ date: Date) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
    return formatter.string(from: date)
  }

  /// `shards/<as-of>/<K>-of-<N>`.
  func prefix(_ index: Int) -> String { "\(Self.folder)/\(label)/\(index)-of-\(count)" }

  func recordKey(_ index: Int) -> String { prefix(index) + ".json" }

  /// What one complete shard upload holds.
  struct Record: Codable, Equatable {
    var shard: String
    var asOf: String
    /// What the shard fetched (`--platform --all-accounts …`): every shard of a set must say the same.
    var source: String
    /// The attempt's folder under the shard's prefix.
    var attempt: String
    /// Path in the dumps folder → SHA-256 (lowercase hex).
    var files: [String: String]

    enum CodingKeys: String, CodingKey {
      case shard
      case asOf = "as_of"
      case source, attempt, files
    }
  }

  /// Uploads shard `index`'s dumps folder unless the shard is already complete; returns the record and whether
  /// this call stored it (false: an earlier attempt had).
  func upload(
    index: Int, dumps: String, source: String, asOf: String, attempt: String, scratch: String,
    put: (String, String) async throws(RunError) -> Void
  ) async throws(RunError) -> (Record, stored: Bool) {
    if let existing = try await record(index, scratch: scratch) { return (existing, false) }
    var files: [String: String] = [:]
    for relative in Self.dumpFiles(dumps) {
      let path = dumps + "/" + relative
      let digest: (size: Int64, sha256: String)
      do { digest = try FileDigest.of(path) } catch { throw .storage(error) }
      try await put(prefix(index) + "/" + attempt + "/" + relative, path)
      files[relative] = digest.sha256
    }
    let record = Record(shard: "\(index)/\(count)", asOf: asOf, source: source, attempt: attempt, files: files)
    let path = scratch + "/shard-record-\(UUID().uuidString).json"
    defer { unlink(path) }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
    let data = (try? encoder.encode(record)) ?? Data()
    do { try data.write(to: URL(fileURLWithPath: path)) } catch {
      throw .io(path: path, reason: "cannot write the shard record: \(error.localizedDescription)")
    }
    do {
      try await put(recordKey(index), path)
    } catch {
      // Another attempt of the same shard completed first: its upload is the shard's, this one is left unused.
      if case .storage(.objectExists) = error, let existing = try await self.record(index, scratch: scratch) {
        return (existing, false)
      }
      throw error
    }
    return (record, true)
  }

  /// Downloads every shard into `folder/<K>-of-<N>/` and returns those folders, in shard order; every shard must
  /// be complete, of the same source, and its files must match their recorded SHA-256.
  func download(into folder: String, source: String, scratch: String) async throws(RunError) -> [String] {
    var records: [Record] = []
    var missing: [Int] = []
    for index in 0..<count {
      if let record = try await record(index, scratch: scratch) {
        records.append(record)
      } else {
        missing.append(index)
      }
    }
    guard missing.isEmpty else {
      let list = missing.map { "\($0)/\(count)" }.joined(separator: ", ")
      throw .shards(
        url: store.target.display("\(Self.folder)/\(label)/"),
        reason:
          "\(missing.count) of \(count) shards have no complete upload (\(list)); run `run --shard K/\(count)` with this --as-of for each, then the merge again",
        exitStatus: ExitStatus.fetchIncomplete)
    }
    var folders: [String] = []
    for (index, record) in records.enumerated() {
      guard record.source == source else {
        throw .shards(
          url: store.target.display(recordKey(index)),
          reason: "this shard fetched \(record.source), the config says \(source); run the shards with this config",
          exitStatus: ExitStatus.usage)
      }
      let target = folder + "/\(index)-of-\(count)"
      for (relative, sha256) in record.files.sorted(by: { $0.key < $1.key }) {
        guard Self.isSafe(relative) else {
          throw .io(
            path: store.target.display(recordKey(index)), reason: "names a file outside its folder: \(relative)")
        }
        let key = prefix(index) + "/" + record.attempt + "/" + relative
        let path = target + "/" + relative
        try FileManager.default.createDirectoryTyped((path as NSString).deletingLastPathComponent)
        let received: String
        do { received = try await store.download(key, to: path, maxBytes: 1 << 40) } catch { throw .storage(error) }
        guard received == sha256 else {
          throw .io(
            path: store.target.display(key),
            reason:
              "its SHA-256 is \(received), the shard's record says \(sha256); run that shard again with a new as-of")
        }
      }
      try FileManager.default.createDirectoryTyped(target)
      folders.append(target)
    }
    return folders
  }

  /// The record of shard `index`, or nil when the shard has not completed an upload.
  func record(_ index: Int, scratch: String) async throws(RunError) -> Record? {
    let key = recordKey(index)
    let found: StoredObject?
    do { found = try await store.head(key) } catch { throw .storage(error) }
    guard found != nil else { return nil }
    let path = scratch + "/shard-record-\(UUID().uuidString).json"
    defer { unlink(path) }
    do { _ = try await store.download(key, to: path, maxBytes: 64 << 20) } catch { throw .storage(error) }
    guard let data = FileManager.default.contents(atPath: path),
      let record = try? JSONDecoder().decode(Record.self, from: data)
    else { throw .io(path: store.target.display(key), reason: "not a shard record this tool wrote; move it away") }
    return record
  }

  /// The files of a dumps folder to upload, relative and sorted: account folders and the manifest, never hidden
  /// entries (`.fetch-state/`: checkpoints and the lock belong to the machine that fetched).
  static func dumpFiles(_ dumps: String) -> [String] {
    guard let walker = FileManager.default.enumerator(atPath: dumps) else { return [] }
    var files: [String] = []
    while let relative = walker.nextObject() as? String {
      if relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) {
        if (relative as NSString).lastPathComponent.hasPrefix(".") { walker.skipDescendants() }
        continue
      }
      var isFolder: ObjCBool = false
      if FileManager.default.fileExists(atPath: dumps + "/" + relative, isDirectory: &isFolder), !isFolder.boolValue {
        files.append(relative)
      }
    }
    return files.sorted()
  }

  /// A relative path with no empty, `.` or `..` part.
  static func isSafe(_ relative: String) -> Bool {
    let parts = relative.split(separator: "/", omittingEmptySubsequences: false)
    return !relative.hasPrefix("/") && parts.allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
  }
}
