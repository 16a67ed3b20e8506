import Foundation
import Synchronization
import TreasuryModel
import TreasuryStorage

/// The `publish` run: a finished output folder into storage, every object checked before any is written.
///
/// The folder is verified against its manifest first (`PublishPlan`). Then every key is looked at: an object that
/// holds other bytes refuses the whole run before anything is written (exit 8, every such object named); the same
/// bytes count as unchanged. The rest go up with `--s3-concurrency` objects in flight: the run's summary files,
/// then the periods' files and archives, the manifest last, so that a stored manifest means a complete
/// publication. Interrupted uploads of earlier runs are removed at the end.
public struct PublishJob: Sendable {
  package var options: PublishOptions
  /// The store to publish to; nil: opened from `options.destination` (tests pass one they built).
  package var store: (any ObjectStore)?

  public init(options: PublishOptions) {
    self.options = options
  }

  package init(options: PublishOptions, store: any ObjectStore) {
    self.options = options
    self.store = store
  }

  /// Publishes; never throws: failures are in the report, with the exit code.
  public func run() async -> PublishReport {
    let start = ContinuousClock.now
    var report = PublishReport()
    report.source = options.source
    report.destination = options.destination
    do throws(PublishError) {
      try await execute(&report)
    } catch {
      report.errors = error.messages
      report.exitCode = error.exitStatus
    }
    let elapsed = ContinuousClock.now - start
    report.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    return report
  }

  private func execute(_ report: inout PublishReport) async throws(PublishError) {
    if let problem = options.problem { throw .usage(problem) }
    let target: StorageTarget
    do { target = try StorageTarget(parsing: options.destination) } catch { throw .storage([error], written: 0) }
    if let problem = Self.overlap(source: options.source, target: target) { throw .usage(problem) }
    let putOptions = try putOptions(for: target, warnings: &report.warnings)
    let plan = try PublishPlan(source: options.source)
    report.warnings += plan.warnings
    let store = try await open(target)
    report.destination = store.target.description

    let pending = try await unpublished(plan, in: store, &report)
    var written: [PlannedObject] = []
    // The run's files first: stored period objects without a stored manifest then always sit beside a run
    // folder without its manifest, which `verify` reports as an unfinished publish. The manifest goes alone,
    // after everything it lists is stored.
    let pendingKeys = Set(pending.map(\.key))
    let phases = [plan.runFiles, plan.periodFiles, [plan.manifest]].map { $0.filter { pendingKeys.contains($0.key) } }
    for phase in phases {
      let outcomes = await upload(phase, to: store, putOptions)
      var failures: [StorageError] = []
      for (object, outcome) in zip(phase, outcomes) {
        switch outcome {
        case .written:
          written.append(object)
          report.written += 1
          report.bytesWritten += object.size
        case .unchanged: report.unchanged += 1
        case .failed(let error): failures.append(error)
        case .skipped: break
        }
      }
      if !failures.isEmpty { throw .storage(failures, written: written.count) }
    }
    report.manifestURL = store.target.display(plan.manifest.key)
    report.manifestSHA256 = plan.manifestSHA256
    do throws(StorageError) {
      report.incompleteRemoved = try await store.removeIncompleteUploads()
    } catch {
      throw .cleanup(error, manifest: store.target.display(plan.manifest.key))
    }
  }

  /// The objects not yet stored, after checking every key: throws when one holds other bytes, before anything
  /// is written. Existing keys are found by listing each folder the plan writes into, then read one by one for
  /// their digests, so a first publication costs a few listings, not a request per file.
  private func unpublished(_ plan: PublishPlan, in store: any ObjectStore, _ report: inout PublishReport)
    async throws(PublishError) -> [PlannedObject]
  {
    // Each top folder the plan writes into is listed once (`2026-03/`, `runs/<run>/`).
    let runFolder = plan.layout.runFolder + "/"
    let tops = Set(plan.objects.map { $0.key.hasPrefix(runFolder) ? runFolder : $0.key.prefix { $0 != "/" } + "/" })
      .sorted()
    var existing: Set<String> = []
    for top in tops {
      do {
        for object in try await store.list(under: top) { existing.insert(object.key) }
      } catch {
        throw .storage([error], written: 0)
      }
    }
    let present = plan.objects.filter { existing.contains($0.key) }
    let heads = await BoundedTasks.map(present.count, limit: options.storage.concurrency) {
      (i: Int) async -> Result<StoredObject?, StorageError> in
      do throws(StorageError) { return .success(try await store.head(present[i].key)) } catch { return .failure(error) }
    }
    var conflicts: [StorageError] = []
    var failures: [StorageError] = []
    var same: Set<String> = []
    for (object, head) in zip(present, heads) {
      switch head {
      case .failure(let error): failures.append(error)
      case .success(nil): continue  // removed since the listing: written below
      case .success(let stored?):
        if stored.sha256 == object.sha256 && stored.size == object.size {
          same.insert(object.key)
        } else {
          conflicts.append(
            .objectExists(
              key: object.key, target: store.target.description, storedSHA256: stored.sha256,
              localSHA256: object.sha256))
        }
      }
    }
    if !failures.isEmpty { throw .storage(Array(failures.prefix(10)), written: 0) }
    if !conflicts.isEmpty { throw .conflicts(conflicts) }
    report.unchanged = same.count
    return plan.objects.filter { !same.contains($0.key) }
  }

  enum Outcome: Sendable {
    case written, unchanged, skipped
    case failed(StorageError)
  }

  /// Puts each object, at most `--s3-concurrency` at once; after a failure no new one starts.
  private func upload(_ objects: [PlannedObject], to store: any ObjectStore, _ options: PutOptions) async
    -> [Outcome]
  {
    let stopped = Atomic<Bool>(false)
    return await BoundedTasks.map(objects.count, limit: self.options.storage.concurrency) { (i: Int) async -> Outcome in
      guard !stopped.load(ordering: .relaxed) else { return .skipped }
      let object = objects[i]
      var objectOptions = options
      objectOptions.contentType = object.contentType
      do throws(StorageError) {
        switch try await store.put(
          object.key, file: object.path, size: object.size, sha256: object.sha256, options: objectOptions)
        {
        case .written: return .written
        case .unchanged: return .unchanged
        }
      } catch {
        stopped.store(true, ordering: .relaxed)
        return .failed(error)
      }
    }
  }

  /// Retention and encryption as `put` takes them; a folder cannot lock or encrypt, which is said once.
  private func putOptions(for target: StorageTarget, warnings: inout [String]) throws(PublishError) -> PutOptions {
    var put = PutOptions()
    let now = Date()
    if let until = options.retainUntilDate(today: now), let mode = options.lockMode {
      guard until > now else { throw .usage("--retain-until must be a date after today, found \(until)") }
      put.retention = Retention(mode: mode == .compliance ? .compliance : .governance, until: until)
    }
    switch options.encryption {
    case .aes256: put.encryption = .aes256
    case .kms: put.encryption = .kms(keyID: options.kmsKeyID)
    case nil: break
    }
    if case .local(let path) = target, put.retention != nil || put.encryption != nil {
      let flags = [put.retention != nil ? "--retain-*/--lock-mode" : nil, put.encryption != nil ? "--sse" : nil]
        .compactMap { $0 }.joined(separator: " and ")
      warnings.append(
        "\(path): warning: a folder cannot lock or encrypt objects; \(flags) apply to s3:// targets only and are ignored here"
      )
    }
    return put
  }

  private func open(_ target: StorageTarget) async throws(PublishError) -> any ObjectStore {
    if let store { return store }
    do {
      return try await StoreOpening.open(target, options.storage)
    } catch {
      throw .storage([error], written: 0)
    }
  }

  /// Why a folder target cannot receive this source: it is the source, lies inside it, or holds it.
  static func overlap(source: String, target: StorageTarget) -> String? {
    guard case .local(let path) = target else { return nil }
    let a = URL(fileURLWithPath: source).standardizedFileURL.resolvingSymlinksInPath().path
    let b = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    if a == b || b.hasPrefix(a.hasSuffix("/") ? a : a + "/") {
      return "--to \(path) lies inside the folder being published (\(source)); publish to a folder outside it"
    }
    if a.hasPrefix(b.hasSuffix("/") ? b : b + "/") {
      return "\(source) lies inside --to \(path); publish a folder from outside the storage folder"
    }
    return nil
  }
}
