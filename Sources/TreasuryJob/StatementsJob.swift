import Foundation
import Synchronization
import TreasuryArchive
import TreasuryInput
import TreasuryLedger
@_spi(Inlining) import TreasuryModel
import TreasuryOutput
import TreasuryPartition
import TreasuryRender

/// The `statements` run: dumps in, statements, summary and manifest out, all or nothing.
///
/// Inputs are grouped by connected account; each group (a `Unit`) is read,
/// deduplicated and rendered on its own worker, so memory follows the largest
/// account, not the whole input. Results are merged in a fixed order, so
/// `--jobs` never changes a byte of output.
///
/// This is the library's entry point for a program that runs statements itself (the `TreasuryReport` product,
/// `import TreasuryJob`): fill in `StatementsOptions` as the command's flags would, then call `run()`.
///
/// ```swift
/// var options = StatementsOptions(inputs: ["dumps"], output: "out")
/// options.formats = [.csv, .camt053]
/// let report = StatementsJob(options: options).run()
/// if report.exitCode != ExitStatus.success { print(report.errors.joined(separator: "\n")) }
/// ```
///
/// A program that may be stopped by a signal calls `InterruptCleanup.install()` (TreasuryOutput) first, as the
/// command does, so that a stopped run leaves no staging folder behind.
public struct StatementsJob: Sendable {
  package var options: StatementsOptions
  /// Print a progress line to stderr while reading (for terminals).
  public var showProgress = false
  /// Counts the threads working at once (tests hold `--jobs` to its word with it).
  package var busyThreads: BusyThreads?

  public init(options: StatementsOptions) {
    self.options = options
  }

  /// Runs the job: reads every input, writes the output folder whole or not at all, and returns what happened.
  ///
  /// Never throws: failures are in the report (`errors`), with the exit code the command would exit with
  /// (`exitCode`, one of `ExitStatus`) and its name (`status`).
  public func run() -> RunReport {
    var report = RunReport()
    report.output = options.output
    do throws(JobError) {
      try execute(&report)
    } catch {
      report.exitCode = error.exitCode
      report.status = Self.status(error.exitCode)
      report.errors = Array(error.messages.prefix(RunReport.listLimit))
      if error.problemCount > RunReport.listLimit {
        report.errors.append("… and \(error.problemCount - RunReport.listLimit) more")
      }
      if let advice = error.advice { report.errors.append("error: " + advice) }
    }
    return report
  }

  static func status(_ code: Int32) -> String {
    switch code {
    case ExitStatus.success: return "ok"
    case ExitStatus.usage: return "usage_error"
    case ExitStatus.invalidInput: return "invalid_input"
    case ExitStatus.unreconciled: return "unreconciled"
    default: return "io_error"
    }
  }

  private func execute(_ report: inout RunReport) throws(JobError) {
    let plan = try PeriodPlan(options: options)
    guard (0...9).contains(options.gzipLevel) else {
      throw .usage("--gzip-level takes 0 (store) … 9 (smallest), found \(options.gzipLevel)")
    }
    var asOf: Int64? = nil
    if let text = options.asOf { asOf = try AsOfTime.parseChecked(text, calendar: plan.calendar) }
    if let account = options.account, !InputFile.isAccountID(account) {
      throw .usage("--account takes a Stripe account id like acct_1Abc, found '\(account)'")
    }
    let filter = try AccountFilter(options.only)
    let scope = ShardScope(shard: options.shard)
    try scope.check(options, plan: plan, filter: filter)
    let exports: StatementExports
    do { exports = try StatementExports.resolve(options) } catch { throw .template(error) }
    var catalog: InputCatalog
    do {
      catalog = try InputCatalog.discover(
        options.inputs, defaultAccount: options.account ?? "", allowEmptyFolders: options.allowEmpty)
    } catch {
      throw .input(error)
    }
    if let account = options.account, catalog.filesWithoutAccountFolder == 0, !catalog.files.isEmpty {
      throw .usage(
        "--account \(account) applies to no input: every input is filed under an acct_… folder, which names its account; leave --account out (or use --only \(account) to limit the run to that account)"
      )
    }
    catalog = try filter.narrowed(catalog)
    let shardInputs: [Int]?
    (catalog, shardInputs) = scope.narrowed(catalog)
    report.skippedInputs = catalog.skipped
    let folder: OutputFolder
    do {
      // Templates are inputs too: a commit must not replace the folder they are read from.
      folder = try OutputFolder(
        destination: options.output, gzipLevel: options.gzip ? options.gzipLevel : nil,
        inputs: options.inputs + (options.templates.map { [$0] } ?? []), replace: options.replace)
    } catch {
      throw .sink(error)
    }
    report.leftoversRemoved = folder.leftoversRemoved
    defer { folder.discard() }

    let standardInput = try StandardInputCopy.make(for: &catalog, in: folder.staging)
    let ids = IdIndex(folder: folder.staging + "/.ids")
    let rejects = RejectLog(folder: options.skipInvalid ? folder.staging + "/.rejects" : nil)
    let results = readUnits(
      catalog, plan: plan, folder: folder, asOf: asOf, exports: exports, filter: filter, standardInput: standardInput,
      ids: ids, rejects: rejects)
    let merged = try merge(
      results, catalog: catalog, filter: filter, ids: ids, rejects: rejects, standardInput: standardInput,
      report: &report)
    // Read and checked: neither the copy nor the sightings may be committed with the output.
    if let standardInput { unlink(standardInput) }
    ids.remove()

    let files = StatementFiles(folder: folder, zone: plan.calendar.zone, options: options, exports: exports)
    // Periods after a unit's own data, and the per-period BAI2 files, are dated by the whole run's latest activity.
    let runAsOf = asOf ?? merged.lastActivity
    report.dataAsOf = runAsOf
    let statements = try extendedToTheLastPeriod(
      merged, results: results, plan: plan, catalog: catalog, files: files, asOf: runAsOf)
    try writeRunFiles(
      statements, merged: merged, plan: plan, folder: folder, files: files, rejects: rejects, asOf: runAsOf)
    try commitWithManifest(
      statements, merged: merged, plan: plan, catalog: catalog, shardInputs: shardInputs, folder: folder,
      report: &report)
  }

  /// Every statement of the run, sorted: the units' own, and for a run whose periods follow the data, the periods
  /// after a ledger's last activity up to the run's last period (written from the ledgers' tails).
  private func extendedToTheLastPeriod(
    _ merged: Merged, results: [UnitResult], plan: PeriodPlan, catalog: InputCatalog, files: StatementFiles,
    asOf: Int64
  ) throws(JobError) -> [Statement] {
    var statements = merged.statements
    if plan.isDataDriven {
      // Each unit kept to the limit on its own; the run's span, from the earliest unit to the latest, must too.
      let all = try plan.periods(merged.span) { Self.path($0, in: catalog) }
      for result in results {
        for tail in result.tails {
          for period in all where period.start >= result.coveredUntil && period.end > tail.firstActivity {
            let statement = tail.statement(for: period, includeLines: options.writesStatementFiles)
            if options.writesStatementFiles { try files.write(statement, symbols: tail.symbols, asOf: asOf) }
            statements.append(statement.totalsOnly)
          }
        }
      }
    }
    statements.sort { $0.key < $1.key }
    return statements
  }

  /// The run-wide files: `summary.csv`, `accounts.csv`, `rejects.jsonl`, the per-period BAI2 files and archives.
  private func writeRunFiles(
    _ statements: [Statement], merged: Merged, plan: PeriodPlan, folder: OutputFolder, files: StatementFiles,
    rejects: RejectLog, asOf runAsOf: Int64
  ) throws(JobError) {
    let time = LocalTimeFormatter(zone: plan.calendar.zone)
    try Self.writeWhole("summary.csv", in: folder) { (target) throws(RenderError) in
      try SummaryCSV.render(statements, time: time, to: target)
    }
    if options.formats.contains(.csv) {
      try Self.writeWhole("accounts.csv", in: folder) { (target) throws(RenderError) in
        try AccountsCSV.render(merged.accountRows, to: target)
      }
    }
    if options.skipInvalid {
      let writer: OutputWriter
      do { writer = try folder.output("rejects.jsonl") } catch { throw .sink(error) }
      do { try rejects.copy(to: writer) } catch { throw .partition(error) }
      do { folder.record(try writer.finish(rows: rejects.count)) } catch { throw .sink(error) }
      rejects.remove()
    }
    if options.formats.contains(.bai2) {
      let bai2 = PeriodBAI2Files(folder: folder, zone: plan.calendar.zone, jobs: options.jobs)
      do { try bai2.write(statements, asOf: runAsOf) } catch { throw .sink(error) }
    }
    if options.archive {
      let archives = PeriodArchives(
        folder: folder, zone: plan.calendar.zone, interval: plan.calendar.interval, level: options.gzipLevel,
        jobs: options.jobs, statementFiles: files.kinds)
      do { try archives.write(statements) } catch { throw .sink(error) }
    }
  }

  /// Fills in the report, writes `manifest.json` and moves the folder into place.
  private func commitWithManifest(
    _ statements: [Statement], merged: Merged, plan: PeriodPlan, catalog: InputCatalog, shardInputs: [Int]?,
    folder: OutputFolder, report: inout RunReport
  ) throws(JobError) {
    report.statements = statements.count
    report.firstPeriod = statements.map(\.key.period).min()?.label
    report.lastPeriod = statements.map(\.key.period).max()?.label
    report.unreconciled = statements.filter { !$0.isReconciled }.map(UnreconciledStatement.init)
    report.checkFailures = merged.checks.count
    report.checks = Array(merged.checks.prefix(RunReport.listLimit))
    // A shard's periods without data are usually other shards' accounts'; only the whole run can tell.
    report.warnings = options.shard.isWhole ? InputCoverage.periodWarnings(plan, statements: statements) : []

    var manifest = Manifest(
      version: TreasuryReportVersion.string, options: options.recorded(plan), inputs: report.inputs,
      skippedInputs: catalog.skipped, objects: report.objects, rejectedLines: report.rejectedLines,
      statements: statements.count, unreconciled: report.unreconciled, checkFailures: merged.checks.count,
      checks: report.checks, outputs: folder.files)
    if !options.shard.isWhole {
      // What merge needs beyond the unsharded manifest's fields; an unsharded run's manifest keeps its bytes.
      manifest.shard = options.shard.description
      manifest.shardInputs = shardInputs
      manifest.accountNames = merged.names
      manifest.livemode = merged.livemode
    }
    do throws(OutputError) {
      let bytes: [UInt8]
      do { bytes = try manifest.encoded() } catch {
        throw OutputError.cannotWrite(path: "manifest.json", reason: "\(error)")
      }
      try folder.write("manifest.json", bytes, rows: nil, compressed: false)
      try folder.commit()
    } catch {
      throw .sink(error)
    }
    let problems = !report.unreconciled.isEmpty || report.checkFailures > 0
    report.exitCode = problems && !options.allowUnreconciled ? ExitStatus.unreconciled : ExitStatus.success
    report.status = Self.status(report.exitCode)
  }

  /// A file of the run rendered whole in memory (`summary.csv`, `accounts.csv`), then written into `folder`.
  private static func writeWhole(
    _ name: String, in folder: OutputFolder, _ render: (MemoryTarget) throws(RenderError) -> Int
  ) throws(JobError) {
    let target = MemoryTarget()
    let rows: Int
    do { rows = try render(target) } catch { throw JobError(error, file: name, path: folder.staging + "/" + name) }
    do { try folder.write(name, target.bytes, rows: rows) } catch { throw .sink(error) }
  }

  // MARK: Reading

  private func readUnits(
    _ catalog: InputCatalog, plan: PeriodPlan, folder: OutputFolder, asOf: Int64?, exports: StatementExports,
    filter: AccountFilter, standardInput: String?, ids: IdIndex, rejects: RejectLog
  ) -> [UnitResult] {
    var byAccount: [String: Unit] = [:]
    for (i, file) in catalog.files.enumerated() {
      byAccount[file.account, default: Unit(account: file.account, files: [])].files.append((Int32(i), file))
    }
    let units = byAccount.values.sorted { $0.account < $1.account }
    let progress =
      showProgress ? ReadProgress(totalBytes: Self.totalBytes(catalog), totalFiles: catalog.files.count) : nil
    let ticker = progress.map { progress in
      ProgressTicker(live: true, firstDraw: 10, every: 5) {
        let mib = { (bytes: Int) in String(bytes >> 20) }
        return
          "reading: \(progress.filesRead)/\(progress.totalFiles) files, \(mib(progress.bytesRead))/\(mib(progress.totalBytes)) MiB"
      }
    }
    ticker?.start()
    defer { ticker?.stop() }

    let worker = UnitWorker(
      options: options, plan: plan, folder: folder, progress: progress, asOf: asOf, exports: exports, filter: filter,
      standardInputCopy: standardInput, ids: ids, rejects: rejects, busy: busyThreads)
    // Parallelism is never nested, so `--jobs N` means N threads at work: a big unit is processed alone with
    // all N workers (the partitioned path has its own), the others N at a time on the pool below.
    let slots = Mutex<[UnitResult?]>(Array(repeating: nil, count: units.count))
    let big = units.indices.filter { PartitionedUnit.isLarge(units[$0], threshold: options.partitionThreshold) }
    for index in big {
      let result = PartitionedUnit(worker: worker).process(units[index])
      slots.withLock { $0[index] = result }
    }
    let small = units.indices.filter { !PartitionedUnit.isLarge(units[$0], threshold: options.partitionThreshold) }
    let queue = WorkQueue(count: small.count)
    let workers = max(1, min(options.jobs, small.count))
    DispatchQueue.concurrentPerform(iterations: small.isEmpty ? 0 : workers) { _ in
      busyThreads.counting {
        let buffer = ReadBuffer()
        var store = LedgerStore()
        store.sightings = ids.recorder()
        var collector = rejects.collector()
        while let next = queue.take() {
          let index = small[next]
          let result = worker.process(units[index], buffer: buffer, store: &store, rejects: &collector)
          slots.withLock { $0[index] = result }
        }
        store.sightings?.finish()
        collector.finish()
      }
    }
    return slots.withLock { $0.compactMap { $0 } }
  }

  private static func totalBytes(_ catalog: InputCatalog) -> Int {
    catalog.files.reduce(0) { $0 + $1.size }
  }

  // MARK: Merging

  private struct Merged {
    var statements: [Statement] = []
    var checks: [CheckFailure] = []
    var accountRows: [AccountsCSV.Row] = []
    var span = ActivitySpan()
    /// Connected accounts' names from every `account` object read, whichever account's files held it.
    var names: [String: String] = [:]
    /// Whether the objects read were live-mode ones; nil when none said.
    var livemode: Bool?
    var lastActivity: Int64 { span.lastTime }
  }

  /// Combines unit results in a fixed order and raises the first kind of failure found.
  private func merge(
    _ results: [UnitResult], catalog: InputCatalog, filter: AccountFilter, ids: IdIndex, rejects: RejectLog,
    standardInput: String?, report: inout RunReport
  ) throws(JobError) -> Merged {
    var merged = Merged()
    let path = { (source: SourceLocation) in Self.path(source, in: catalog) }

    var stats: [(index: Int32, stats: InputFileStats)] = []
    var livemode = LivemodeSeen()
    var conflicts: [(CopyConflict)] = []
    for result in results {
      stats += result.stats
      report.objects.add(result.counts)
      livemode.merge(result.livemode)
      conflicts += result.conflicts
      merged.span.merge(result.span)
    }
    report.inputs = stats.sorted { $0.index < $1.index }.map(\.stats)

    // Failures, most basic first: unreadable files, invalid lines, contradictions.
    if let failure = results.compactMap({ $0.failure }).first(where: {
      if case .input = $0 { return true } else { return false }
    }) {
      throw failure
    }
    let rejected = rejects.count
    if rejected > 0 && !options.skipInvalid { throw .invalidLines(rejects.shown, total: rejected) }
    report.rejectedLines = rejected
    // An id under two financial accounts, wherever its copies were read (units and partitions see only their own).
    let suspects: IdIndex.Suspects
    do { suspects = try ids.suspects(jobs: options.jobs) } catch { throw .partition(error) }
    let digests = Dictionary(stats.map { ($0.index, $0.stats.sha256) }, uniquingKeysWith: { a, _ in a })
    do {
      conflicts += try IdSplitCheck.conflicts(suspects, in: catalog, digests: digests) { file in
        StandardInputCopy.location(of: file, copy: standardInput)
      }
    } catch {
      throw .input(error)
    }
    if !conflicts.isEmpty {
      throw .conflicts(
        conflicts.sorted { ($0.first, $0.second) < ($1.first, $1.second) }.map { c in
          "\(path(c.second)): error: \(c.id) contradicts its copy at \(path(c.first)): \(c.detail)"
        })
    }
    if livemode.isMixed, let live = livemode.live, let test = livemode.test {
      throw .mixedLivemode(live: path(live), test: path(test))
    }
    merged.livemode = livemode.live != nil ? true : livemode.test != nil ? false : nil

    // A financial account belongs to one connected account (checked before
    // other failures: two units writing one account's files is its symptom),
    // and so does its financial_account object: one filed elsewhere would be
    // left out of accounts.csv.
    var owner: [String: String] = [:]
    var ownerSaw: [String: SourceLocation] = [:]
    var split: [String] = []
    for result in results {
      var seen: [String: SourceLocation] = [:]
      for ledger in result.ledgerCurrencies {
        seen[ledger.account] = min(seen[ledger.account] ?? .max, ledger.firstSeen)
      }
      for (fa, info) in result.financialAccounts { seen[fa] = min(seen[fa] ?? .max, info.source) }
      for (fa, here) in seen.sorted(by: { $0.key < $1.key }) {
        if let other = owner[fa], other != result.account {
          split.append(
            "\(path(here)): error: \(fa) appears under two connected accounts: \(Self.name(result.account)) here, and \(Self.name(other)) at \(ownerSaw[fa].map(path) ?? "?")"
          )
        } else {
          owner[fa] = result.account
          ownerSaw[fa] = here
        }
      }
    }
    if !split.isEmpty { throw .accountSplit(split) }
    if !options.formats.isDisjoint(with: [.ofx, .ofx2]), let shared = OFXDocument.sharedAccountID(Array(owner.keys)) {
      throw .unrepresentable(
        "error: financial accounts \(shared.first) and \(shared.second) would share the OFX ACCTID \(shared.id) (the last \(OFXDocument.accountIDLimit) characters of the id); an importer would take them for one account"
      )
    }
    if let failure = results.compactMap(\.failure).first { throw failure }
    // Counted only now: a unit that failed may not have counted its objects.
    // A shard may own no account with data; whether the whole run read any is merge's to check.
    if options.shard.isWhole {
      try InputCoverage.check(
        report.objects, inputs: options.inputs, stats: report.inputs, rejected: rejected, allowEmpty: options.allowEmpty
      )
    }
    try filter.checkMatched(Set(owner.keys))

    var infos: [String: FinancialAccountInfo] = [:]
    var names: [String: String] = [:]
    for result in results {
      merged.statements += result.statements
      merged.checks += result.checks
      for (id, info) in result.financialAccounts { infos[id] = info }
      for (id, account) in result.connectedAccounts {
        if let name = account.name { names[id] = min(names[id] ?? name, name) }
      }
    }
    merged.names = names
    merged.accountRows = owner.keys.sorted().filter { filter.includes($0, of: owner[$0] ?? "") }.map { fa in
      let account = owner[fa] ?? ""
      return AccountsCSV.Row(financialAccount: fa, account: account, accountName: names[account], info: infos[fa])
    }
    return merged
  }

  /// `FILE:LINE` of an object.
  private static func path(_ source: SourceLocation, in catalog: InputCatalog) -> String {
    "\(catalog.files[Int(source.file)].path):\(source.line)"
  }

  private static func name(_ account: String) -> String { account.isEmpty ? "the platform" : account }
}
