import Foundation
import TreasuryArchive
import TreasuryModel
import TreasuryStorage

/// `verify s3://…` and `verify file://…`: proves what is in storage against the manifests stored with it.
///
/// Every publication under the target (`runs/<run>/manifest.json`) is downloaded with the objects it lists into a
/// private temporary folder, laid out as `statements` wrote it, and checked by the same verifier as a local folder
/// (sizes, SHA-256, archives in full, statements recomputed); findings name the stored objects. An object no
/// manifest lists is a finding too, and a run folder without its manifest is an unfinished publish.
public struct StorageVerifyJob: Sendable {
  package var location: String
  package var storage: StorageOptions
  /// The store to read; nil: opened from `location` (tests pass one they built).
  package var store: (any ObjectStore)?
  /// Where the temporary folder is made (it needs room for every object verified).
  package var scratchParent = NSTemporaryDirectory()

  public init(location: String, storage: StorageOptions) {
    self.location = location
    self.storage = storage
  }

  package init(location: String, store: any ObjectStore, storage: StorageOptions = StorageOptions()) {
    self.location = location
    self.storage = storage
    self.store = store
  }

  /// Whether `verify` reads `text` from storage (`s3://…`, `file://…`) rather than as a local path.
  public static func isStorageURL(_ text: String) -> Bool {
    text.hasPrefix("s3://") || text.hasPrefix("file://")
  }

  /// Verifies; never throws: findings are in the report, with the exit code.
  public func run() async -> StorageVerifyReport {
    var report = StorageVerifyReport()
    report.location = location
    do throws(StorageError) {
      let target = try StorageTarget(parsing: location)
      report.location = target.description
      if let store {
        try await verify(store, &report)
      } else {
        try await verify(try await StoreOpening.open(target, storage), &report)
      }
    } catch {
      let kind: VerifyReport.Finding.Kind = error.exitStatus == ExitStatus.ioError ? .unreadable : .incomplete
      let (where_, message) = Self.split(error.message, default: report.location)
      report.add(kind, where_, message)
      // Credentials or settings to fix (1), a local folder (4), storage that did not answer (5).
      report.exitOverride = error.exitStatus
    }
    return report
  }

  private func verify(_ store: any ObjectStore, _ report: inout StorageVerifyReport) async throws(StorageError) {
    let listed = try await store.list(under: "")
    let sizes = Dictionary(listed.map { ($0.key, $0.size) }, uniquingKeysWith: { a, _ in a })
    var (publications, incomplete) = StoredPublication.runs(in: listed.map(\.key))
    let scratch = try ScratchFolder(in: scratchParent)
    let target = store.target
    if publications.isEmpty && incomplete.isEmpty {
      report.add(
        .mismatch, target.description,
        "holds no publication (no runs/<run>/manifest.json): check the URL, or publish an output folder to it first")
      return
    }

    // The manifests first: they say which objects to fetch.
    var downloaded: [String: String] = [:]
    for (k, publication) in publications.enumerated() {
      let key = publication.layout.manifestKey
      let path = scratch.object(downloaded.count)
      do {
        let sha = try await store.download(key, to: path, maxBytes: Int64(ManifestIndex.byteLimit))
        downloaded[key] = path
        publications[k].manifestSHA256 = sha
        let data = FileManager.default.contents(atPath: path) ?? Data()
        publications[k].index = try ManifestIndex(decoding: data)
      } catch let error as StorageError {
        if case .notFound = error {
          report.add(.mismatch, target.display(key), "was removed while verify ran")
        } else {
          report.add(.incomplete, target.display(key), Self.split(error.message, default: "").1)
        }
      } catch let error as ManifestIndexError {
        report.add(.mismatch, target.display(key), error.reason)
      } catch {
        report.add(.unreadable, path, "cannot read: \(error)")
      }
      if let problem = publications[k].sealProblem { report.add(.mismatch, target.display(key), problem) }
    }

    // Objects no manifest lists: tampering, or a publish that stopped before its manifest.
    var listedByManifests: Set<String> = []
    for publication in publications {
      for (_, key) in publication.keys { listedByManifests.insert(key) }
    }
    for run in incomplete {
      report.add(
        .incomplete, target.display(PublishLayout(runName: run).runFolder + "/"),
        "holds no manifest.json: a publish into it did not finish; run it again to complete the publication")
    }
    for object in listed where !listedByManifests.contains(object.key) {
      let folder = PublishLayout.runsFolder + "/"
      if incomplete.contains(where: { object.key.hasPrefix(folder + $0 + "/") }) { continue }
      if publications.contains(where: { $0.index == nil && object.key.hasPrefix($0.layout.runFolder + "/") }) {
        continue  // its manifest is unreadable, said above
      }
      if incomplete.isEmpty {
        report.add(.mismatch, target.display(object.key), "is not listed in any manifest.json stored under \(target)")
      } else {
        report.add(
          .incomplete, target.display(object.key),
          "is not listed in any stored manifest.json; it may belong to the unfinished publish above")
      }
    }

    // Then every listed object that is stored, once, however many publications list it.
    let wanted = listedByManifests.subtracting(downloaded.keys).filter { sizes[$0] != nil }.sorted()
    let base = downloaded.count
    let results = await BoundedTasks.map(wanted.count, limit: storage.concurrency) {
      (i: Int) async -> StorageError? in
      do throws(StorageError) {
        _ = try await store.download(wanted[i], to: scratch.object(base + i), maxBytes: sizes[wanted[i]] ?? 0)
        return nil
      } catch {
        return error
      }
    }
    for (i, error) in results.enumerated() {
      guard let error else {
        downloaded[wanted[i]] = scratch.object(base + i)
        continue
      }
      // A vanished object is left out, and the verifier reports it missing.
      if case .notFound = error { continue }
      report.add(.incomplete, target.display(wanted[i]), Self.split(error.message, default: "").1)
    }

    for (k, publication) in publications.enumerated() where publication.index != nil {
      check(publication, folder: scratch.run(k), downloaded, scratch, target, &report)
    }
    report.publications = publications.count
    if publications.count == 1, let sha = publications[0].manifestSHA256 {
      report.manifest = (target.display(publications[0].layout.manifestKey), sha)
    }
  }

  /// Lays one publication out as an output folder and runs the local verifier on it.
  private func check(
    _ publication: StoredPublication, folder: String, _ downloaded: [String: String], _ scratch: ScratchFolder,
    _ target: StorageTarget, _ report: inout StorageVerifyReport
  ) {
    var names: [String: String] = [:]
    for (path, key) in publication.keys {
      names[path] = target.display(key)
      guard let object = downloaded[key] else { continue }
      do {
        try scratch.link(object, as: path, in: folder)
      } catch {
        report.add(
          .unreadable, folder + "/" + path, "cannot lay out the downloaded copy: \(error.localizedDescription)")
      }
    }
    let map = LocationMap(folder: folder, names: names, runFolder: target.display(publication.layout.runFolder))
    report.checks.merge(VerifyJob(paths: [folder]).run().renamed(map.display))
  }

  /// A storage error's message as (location, text): its messages read `URL: error: text`.
  static func split(_ message: String, default location: String) -> (String, String) {
    guard let range = message.range(of: ": error: ") else {
      return (location, message.hasPrefix("error: ") ? String(message.dropFirst(7)) : message)
    }
    return (String(message[..<range.lowerBound]), String(message[range.upperBound...]))
  }
}
