import Foundation
import TreasuryJob
@_spi(Inlining) import TreasuryModel
import TreasuryPublish
import TreasuryStorage

/// The monthly `run`: one idempotent pass that builds the statements, publishes the ones that became final,
/// restates the ones whose content changed, and appends to the statement index, under a lock in the target.
///
/// Steps: lock; build every period into the working folder (as of `--as-of` or the latest activity); for each
/// statement whose period has ended, compare with what the target holds; publish new final statements as
/// version 1 and changed ones as the next version with `restatement.csv` (each version's `statement.json` last,
/// so its presence means complete); append the index (lines for complete versions it lacks, so a killed run's
/// versions are indexed by the next); write the run record; release the lock.
public struct RunJob: Sendable {
  public var options: RunOptions
  /// The clock, for the lock's time and the run id; tests may fix it.
  package var now: @Sendable () -> Date = { Date() }

  public init(options: RunOptions) { self.options = options }

  /// Runs; never throws: the outcome (and exit code) is in the summary.
  public func run() async -> RunSummary {
    var summary = RunSummary()
    let started = now()
    summary.run = Self.runID(started)
    summary.startedAt = RunLock.text(started)
    summary.dryRun = options.dryRun
    summary.target = options.config.storage.url
    let scratch = options.config.workFolder + "/" + summary.run
    summary.workFolder = scratch
    var store: (any ObjectStore)?
    var locked = false
    do throws(RunError) {
      try FileManager.default.createDirectoryTyped(scratch)
      let opened = try await open()
      store = opened
      summary.target = opened.target.description
      if let shard = options.shard {
        // A shard publishes nothing: it fetches its accounts and leaves them in the target for the merge.
        try await uploadShard(shard, store: opened, scratch: scratch, started: started, &summary)
        // Nothing in it is kept (a shard holds no lock, so it never clears old working folders either).
        try? FileManager.default.removeItem(atPath: scratch)
        summary.exitCode = ExitStatus.success
        summary.status = "ok"
        return summary
      }
      if !options.dryRun {
        summary.notes += try await RunLock.take(
          opened, run: summary.run, now: started, maxAge: options.config.lockMaxAge, breakLock: options.breakLock,
          scratch: scratch)
        locked = true
        Self.removeOldWork(options.config.workFolder, keeping: summary.run)
      }
      RunCrashPoint.afterLock.reach()
      var publication = StatementPublication(
        options: options, store: opened, scratch: scratch, run: summary.run, now: started)
      if let count = options.mergeShards {
        publication.inputs = try await downloadShards(count, store: opened, scratch: scratch, &summary)
      }
      try await publication.execute(&summary)
      if !options.dryRun {
        RunCrashPoint.afterIndex.reach()
        summary.exitCode = Self.exitCode(summary)
        summary.status = Self.status(summary.exitCode)
        try await publication.writeRecord(summary)
        RunCrashPoint.beforeUnlock.reach()
      }
    } catch {
      summary.errors += error.messages
      summary.exitCode = error.exitStatus
      summary.status = error.exitStatus == ExitStatus.lockHeld ? "locked" : "failed"
      if case .lockHeld = error { try? FileManager.default.removeItem(atPath: scratch) }
    }
    if locked, let store {
      do throws(RunError) { try await RunLock.release(store) } catch {
        summary.errors += error.messages
        if summary.exitCode == ExitStatus.success { summary.exitCode = error.exitStatus }
      }
    }
    if summary.errors.isEmpty {
      summary.exitCode = Self.exitCode(summary)
      summary.status = Self.status(summary.exitCode)
    }
    return summary
  }

  static func exitCode(_ summary: RunSummary) -> Int32 {
    if !summary.restated.isEmpty { return ExitStatus.restated }
    if !summary.unreconciled.isEmpty { return ExitStatus.unreconciled }
    return ExitStatus.success
  }

  static func status(_ code: Int32) -> String {
    switch code {
    case ExitStatus.success: return "ok"
    case ExitStatus.restated: return "restated"
    case ExitStatus.unreconciled: return "unreconciled"
    default: return "failed"
    }
  }

  /// `20260402T063000Z-3f9a2c`: sorts by start time; the random end keeps two runs of one second apart.
  static func runID(_ date: Date) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
    return formatter.string(from: date) + "-" + String(UInt32.random(in: 0...0xFF_FFFF), radix: 16)
  }

  private func open() async throws(RunError) -> any ObjectStore {
    let storage = options.config.storage
    let target: StorageTarget
    do { target = try StorageTarget(parsing: storage.url) } catch { throw .storage(error) }
    var settings = StorageOptions()
    settings.endpoint = storage.endpoint
    settings.region = storage.region
    settings.pathStyle = storage.pathStyle
    do { return try await StoreOpening.open(target, settings) } catch { throw .storage(error) }
  }

  /// Working folders of earlier runs go once this run holds the lock (the newest one's statements are the
  /// provisional ones a person may look at; this run's replace them).
  static func removeOldWork(_ folder: String, keeping run: String) {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    let pattern = /^[0-9]{8}T[0-9]{6}Z-[0-9a-f]+$/
    for name in names where name != run && name.wholeMatch(of: pattern) != nil {
      try? FileManager.default.removeItem(atPath: folder + "/" + name)
    }
  }
}

extension FileManager {
  func createDirectoryTyped(_ path: String) throws(RunError) {
    do { try createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
      throw .io(path: path, reason: "cannot create the working folder: \(error.localizedDescription)")
    }
  }
}
