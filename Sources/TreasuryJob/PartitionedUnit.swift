import Foundation
import Synchronization
import TreasuryInput
import TreasuryLedger
@_spi(Inlining) import TreasuryModel
import TreasuryPartition

/// A unit too large to hold at once (one big mixed file, one huge connected account), read in two phases.
///
/// Phase A decodes the input (large uncompressed JSON-lines files in ranges,
/// on all workers, each file also hashed whole by one of them) and spills every
/// record to a temporary file chosen by its financial account. Phase B loads one
/// partition at a time into a ledger store and builds its statements as for any
/// unit. Memory follows the partition size, not the input size.
struct PartitionedUnit {
  let worker: UnitWorker

  /// Ranges of about this size let two or more workers share one big file
  /// (smaller with a small threshold, so that tests exercise them).
  var rangeTarget: Int { max(64 << 10, min(16 << 20, worker.options.partitionThreshold / 4)) }
  /// About this much input per partition (at most 256 partitions). Small, so that a partition mostly holds
  /// one financial account: phase B holds two partitions at once, and a partition of several accounts is held
  /// twice while `LedgerStore.ledgers()` splits it.
  static let partitionTarget = 4 << 20

  /// Whether `unit` should be partitioned (compressed files count as six times their size).
  static func isLarge(_ unit: Unit, threshold: Int) -> Bool {
    estimatedBytes(unit) > threshold
  }

  static func estimatedBytes(_ unit: Unit) -> Int {
    unit.files.reduce(0) { sum, entry in sum + (entry.file.gzip ? entry.file.size * 6 : entry.file.size) }
  }

  private enum Work {
    /// A whole file, read and hashed as usual.
    case file(index: Int32, file: InputFile)
    /// One range of a big uncompressed file.
    case range(index: Int32, file: InputFile, range: FileRange)
    /// Hashing a ranged file whole (its newlines were counted while numbering the ranges).
    case digest(index: Int32, file: InputFile, newlines: Int)
  }

  private struct PhaseA: Sendable {
    var stats: [(index: Int32, stats: InputFileStats)] = []
    var rejected = 0
    var failure: JobError?
    var writers: [PartitionWriter] = []
  }

  func process(_ unit: Unit) -> UnitResult {
    var result = UnitResult(account: unit.account)
    let jobs = max(1, worker.options.jobs)
    let partitions = min(256, max(2 * jobs, Self.estimatedBytes(unit) / Self.partitionTarget + 1))
    let spill = worker.folder.staging + "/.spill-" + (unit.account.isEmpty ? "platform" : unit.account)
    defer { try? FileManager.default.removeItem(atPath: spill) }
    // Not the staging folder above it: a stopped run's removed staging folder must stay removed.
    if mkdir(spill, 0o755) != 0 && errno != EEXIST {
      result.failure = .sink(.cannotWrite(path: spill, reason: String(cString: strerror(errno))))
      return result
    }
    let items: [Work]
    do throws(InputError) {
      items = try workItems(unit, jobs: jobs)
    } catch {
      result.failure = .input(error)
      return result
    }

    var a = readAndSpill(items, into: spill, partitions: partitions, jobs: jobs)
    result.stats = a.stats.sorted { $0.index < $1.index }
    result.rejected = a.rejected
    if let failure = a.failure {
      result.failure = failure
      return result
    }
    let kept = Kept(a.writers, into: &result)
    let writers = a.writers.count
    // Their symbol tables are not needed in phase B.
    a.writers = []
    result.financialAccounts = kept.objects.financialAccounts
    result.connectedAccounts = kept.objects.connectedAccounts
    if result.stopsRun(skipInvalid: worker.options.skipInvalid) { return result }

    let periods: [Period]
    do throws(JobError) {
      periods = try worker.plan.periods(result.span, path: unit.path)
    } catch {
      result.failure = error
      return result
    }
    result.coveredUntil = periods.last?.end ?? .min
    let b = buildFromPartitions(
      unit, spill: spill, partitions: partitions, writers: writers, periods: periods, jobs: jobs,
      headers: result.financialAccounts, reportedBalances: kept.reportedBalances, lastActivity: result.lastActivity)
    combine(b, kept: kept, into: &result)
    worker.checkUnledgeredBalances(result.financialAccounts, kept.reportedBalances, into: &result)
    return result
  }

  /// Work items: big uncompressed JSON-lines files in ranges (numbered by a newline count), the rest whole.
  private func workItems(_ unit: Unit, jobs: Int) throws(InputError) -> [Work] {
    var items: [Work] = []
    for (index, file) in unit.files {
      let size = file.size
      let location = worker.location(of: file)
      guard file.format == .jsonLines, !file.gzip, location != "-", size > rangeTarget else {
        items.append(.file(index: index, file: file))
        continue
      }
      var ranges = try FileRange.split(path: location, size: size, target: rangeTarget)
      let newlines = try Self.countNewlines(location, ranges, jobs: jobs, busy: worker.busy)
      var line = 1
      for i in ranges.indices {
        ranges[i].firstLine = line
        line += newlines[i]
      }
      items.append(.digest(index: index, file: file, newlines: line - 1))
      items += ranges.map { .range(index: index, file: file, range: $0) }
    }
    return items
  }

  /// Phase A: decodes every item on all workers, spilling each record to its financial account's partition.
  private func readAndSpill(_ items: [Work], into spill: String, partitions: Int, jobs: Int) -> PhaseA {
    let queue = WorkQueue(count: items.count)
    let phaseA = Mutex(PhaseA())
    let stop = Atomic(false)
    let workers = min(jobs, items.count)
    let keepsText = worker.writesStatementFiles
    let progress = worker.progress
    let work = items
    let worker = self.worker
    DispatchQueue.concurrentPerform(iterations: workers) { w in
      worker.busy.counting {
        var writer = PartitionWriter(
          folder: spill, worker: w, partitions: partitions, sightings: worker.ids.recorder())
        var reader = DumpFileReader(keepsText: keepsText, buffer: ReadBuffer())
        var rejects = worker.rejects.collector()
        var local = PhaseA()
        // A spill that cannot be written fails the run: stop reading (here and, through `stop`, on every worker).
        while local.failure == nil, writer.failure == nil, rejects.failure == nil, !stop.load(ordering: .relaxed),
          let i = queue.take()
        {
          do throws(InputError) {
            switch work[i] {
            case .file(let index, let file):
              rejects.begin(file: index, firstLine: 1)
              let stats = try reader.read(
                file, from: worker.location(of: file), index: index, into: &writer, invalid: &rejects,
                progress: progress)
              local.stats.append((index, stats))
              progress?.fileDone()
            case .range(let index, let file, let range):
              rejects.begin(file: index, firstLine: range.firstLine)
              try reader.read(
                file, from: worker.location(of: file), range: range, index: index, into: &writer,
                invalid: &rejects, progress: progress)
            case .digest(let index, let file, let newlines):
              local.stats.append((index, try Self.digest(file, at: worker.location(of: file), newlines: newlines)))
              progress?.fileDone()
            }
          } catch {
            local.failure = .input(error)
          }
          if local.failure != nil || writer.failure != nil || rejects.failure != nil {
            stop.store(true, ordering: .relaxed)
          }
        }
        writer.finish()
        if let failure = writer.failure ?? rejects.failure { local.failure = local.failure ?? .partition(failure) }
        local.rejected = rejects.count
        rejects.finish()
        local.writers.append(writer)
        phaseA.withLock { all in
          all.stats += local.stats
          all.rejected += local.rejected
          all.failure = all.failure ?? local.failure
          all.writers += local.writers
        }
      }
    }
    return phaseA.withLock { $0 }
  }

  /// What phase A kept in memory: financial accounts, connected accounts, livemode, the time span.
  private struct Kept {
    var objects = LedgerStore(capacity: 64)
    var reportedBalances = ReportedBalances()
    var read = ObjectCounts()

    init(_ writers: [PartitionWriter], into result: inout UnitResult) {
      for writer in writers {
        result.livemode.merge(writer.livemode)
        result.span.merge(writer.activitySpan)
        read.add(writer.objects.counts)
        for info in writer.objects.financialAccounts.values.sorted(by: { $0.id < $1.id }) {
          objects.add(financialAccount: info)
        }
        for account in writer.objects.connectedAccounts.values.sorted(by: { $0.id < $1.id }) {
          objects.add(connectedAccount: account)
        }
        reportedBalances.merge(writer.objects.reportedBalances)
      }
    }
  }

  /// Phase B: one partition at a time per worker, through the ordinary ledger path.
  private func buildFromPartitions(
    _ unit: Unit, spill: String, partitions: Int, writers: Int, periods: [Period], jobs: Int,
    headers: [String: FinancialAccountInfo], reportedBalances: ReportedBalances, lastActivity: Int64
  ) -> UnitResult {
    let worker = self.worker
    let partial = Mutex(UnitResult(account: unit.account))
    let partitionQueue = WorkQueue(count: partitions)
    let account = unit.account
    DispatchQueue.concurrentPerform(iterations: min(jobs, partitions)) { _ in
      worker.busy.counting {
        var store = LedgerStore()
        var local = UnitResult(account: account)
        while local.failure == nil, let p = partitionQueue.take() {
          store.removeAll()
          do throws(SpillError) {
            for w in 0..<writers {
              try Self.load(PartitionWriter.path(folder: spill, partition: p, worker: w), into: &store)
            }
          } catch {
            local.failure = .partition(error)
            break
          }
          local.counts.add(store.counts)
          local.conflicts += store.conflicts
          if !store.conflicts.isEmpty { continue }
          worker.buildStatements(
            from: store, periods: periods, unit: unit, headers: headers, reportedBalances: reportedBalances,
            unitLastActivity: lastActivity, into: &local)
        }
        partial.withLock { all in
          all.counts.add(local.counts)
          all.conflicts += local.conflicts
          all.failure = all.failure ?? local.failure
          all.statements += local.statements
          all.tails += local.tails
          all.checks += local.checks
          all.ledgerCurrencies += local.ledgerCurrencies
        }
      }
    }
    return partial.withLock { $0 }
  }

  /// Phase B's results as the unit's: phase B stores saw every transaction and entry copy; phase A counted the
  /// objects it kept.
  private func combine(_ b: UnitResult, kept: Kept, into result: inout UnitResult) {
    var counts = b.counts
    counts.financialAccounts = kept.read.financialAccounts
    counts.accounts = kept.read.accounts
    counts.ignored = kept.read.ignored
    counts.duplicatesDropped +=
      (kept.read.financialAccounts - kept.objects.financialAccounts.count)
      + (kept.read.accounts - kept.objects.connectedAccounts.count)
    result.counts = counts
    result.conflicts = b.conflicts
    result.failure = b.failure
    result.statements = b.statements
    result.tails = b.tails.sorted { $0.financialAccount < $1.financialAccount }
    result.checks = Self.inLedgerOrder(b.checks)
    result.ledgerCurrencies = b.ledgerCurrencies.sorted { ($0.account, $0.currency) < ($1.account, $1.currency) }
  }

  /// Checks in the order a whole run gives them: ledger by ledger, as `LedgerStore.ledgers()` orders ledgers
  /// (financial account, then currency, by their bytes), each ledger's checks in `CrossChecks`' order.
  ///
  /// Partitions split by financial account, so each ledger's checks arrive together from one worker, in order;
  /// only the groups need sorting, and the original position keeps each group's own order.
  static func inLedgerOrder(_ checks: [CheckFailure]) -> [CheckFailure] {
    func precedes(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }
    return checks.enumerated().sorted { a, b in
      let (x, y) = (a.element, b.element)
      if x.financialAccount != y.financialAccount { return precedes(x.financialAccount, y.financialAccount) }
      if x.currency != y.currency { return precedes(x.currency, y.currency) }
      return a.offset < b.offset
    }.map(\.element)
  }

  /// Newlines per range, counted on all workers.
  private static func countNewlines(
    _ path: String, _ ranges: [FileRange], jobs: Int, busy: BusyThreads?
  ) throws(InputError) -> [Int] {
    let counts = Mutex([Int](repeating: 0, count: ranges.count))
    let failure = Mutex<InputError?>(nil)
    let queue = WorkQueue(count: ranges.count)
    DispatchQueue.concurrentPerform(iterations: min(jobs, ranges.count)) { _ in
      busy.counting {
        let buffer = ReadBuffer()
        while let i = queue.take() {
          do throws(InputError) {
            let n = try ranges[i].countNewlines(path: path, buffer: buffer)
            counts.withLock { $0[i] = n }
          } catch {
            failure.withLock { $0 = $0 ?? error }
          }
        }
      }
    }
    if let error = failure.withLock({ $0 }) { throw error }
    return counts.withLock { $0 }
  }

  /// The whole-file statistics of a ranged file: bytes, SHA-256 and lines (counted as the line reader counts them,
  /// from the file's `newlines`).
  private static func digest(_ file: InputFile, at location: String, newlines: Int) throws(InputError) -> InputFileStats
  {
    let source = try FileByteSource(path: location, shownAs: file.path)
    let buffer = ReadBuffer()
    var last: UInt8 = 10
    while true {
      let n = try source.read(into: buffer.whole)
      if n == 0 { break }
      last = buffer.whole[n - 1]
    }
    let lines = newlines + (last == 10 ? 0 : 1)
    return InputFileStats(path: file.path, bytes: source.bytesRead, sha256: source.finalizeDigest(), lines: lines)
  }

  /// Loads one worker's spill file of a partition (absent when the worker wrote nothing there).
  private static func load(_ path: String, into store: inout LedgerStore) throws(SpillError) {
    guard FileManager.default.fileExists(atPath: path) else { return }
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
    } catch {
      throw .cannotRead(path: path, reason: error.localizedDescription)
    }
    var failure: SpillError?
    data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
      do throws(SpillError) {
        try SpillCodec.load(bytes, into: &store)
      } catch {
        failure = error
      }
    }
    if let failure { throw failure }
  }
}
