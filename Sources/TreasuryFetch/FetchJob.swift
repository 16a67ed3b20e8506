import Foundation
import TreasuryInput
@_spi(Inlining) import TreasuryModel

/// The `fetch` run: discovers accounts and financial accounts, fetches each, and commits each account's dump.
///
/// Every page is checkpointed in the run folder as it arrives; an account's
/// dump files are rewritten only once all of its financial accounts are
/// complete. A run that stops (error, Ctrl-C, kill) is resumed by running
/// the same command again. Accounts that could not be fetched keep their
/// previous dump, are listed as failed, and make the run exit non-zero.
public struct FetchJob: Sendable {
  package let options: FetchOptions
  let key: APIKey
  public var showProgress = false
  package let counters = FetchCounters()

  public init(options: FetchOptions, key: APIKey) {
    self.options = options
    self.key = key
  }

  public func run() async -> FetchReport {
    var report = FetchReport()
    do {
      try await execute(&report)
    } catch {
      report.fail(error)
    }
    // Every server text in a message was scrubbed where it was read; this is the last line of defence.
    report.errors = report.errors.map(key.redact)
    report.summary = report.summary.map(key.redact)
    return report
  }

  /// One account folder to fetch: `platform` (no header) or `acct_…`.
  struct Target: Hashable, Comparable {
    var folder: String
    var account: String?

    static func < (a: Target, b: Target) -> Bool {
      if (a.account == nil) != (b.account == nil) { return a.account == nil }
      return a.folder < b.folder
    }
  }

  private func execute(_ report: inout FetchReport) async throws(FetchError) {
    let started = ContinuousClock.now
    let dumps =
      options.output.count > 1 && options.output.hasSuffix("/") ? String(options.output.dropLast()) : options.output
    try checkSelection()
    try Self.prepare(dumps)
    let stateFolder = StateFolder(dumps: dumps)
    let lock = try DumpsLock(stateFolder: stateFolder.root)
    defer { withExtendedLifetime(lock) {} }

    let (since, newState) = try settleState(stateFolder)
    let plan = RunFolder.Plan(
      apiBase: options.apiBase.url, stripeVersion: options.stripeVersion, accounts: options.accounts.sorted(),
      allAccounts: options.allAccounts, platform: options.platform, since: since, overlap: options.overlap,
      pageSize: options.pageSize, shard: shardLabel)
    let run = RunFolder(root: stateFolder.runPath)
    var finished = false
    // A run that failed before it saved a single page leaves nothing to resume: it must not bind the next one.
    defer { if !finished && !run.hasParts() { try? run.remove() } }
    if options.restart { try run.remove() }
    if let existing = try run.loadPlan() {
      guard existing == plan else {
        throw .usage(
          "\(dumps) holds an interrupted fetch with other options (\(Self.describe(existing))); run it again with the same options to finish it, or add --restart to discard it"
        )
      }
    } else {
      try run.save(plan)
    }
    try AtomicFile.remove(run.root + ".discarded")
    RunFolder.removeTemporaries(under: dumps)

    let progress = FetchProgress(counters: counters, live: showProgress, scrub: key.redact)
    progress.start()
    defer { progress.stop() }
    let client = StripeClient(
      base: options.apiBase, key: key, stripeVersion: options.stripeVersion, policy: options.retry,
      timeout: options.timeout, limiter: RateLimiter(requestsPerSecond: options.requestsPerSecond(for: key.mode)),
      counters: counters, connections: options.concurrency * 2, maxResponseBytes: options.maxResponseBytes)
    let pager = ListPager(client: client, run: run, counters: counters, pageSize: options.pageSize)

    let shard = options.shard
    if !shard.isWhole {
      report.summary.append(
        "shard \(shard) of the platform's accounts: at most \(Self.rate(options.requestsPerSecond(for: key.mode))) requests/s\(options.maxRequestsPerSecond == nil ? " (the platform's \(Self.rate(FetchOptions.platformRequestsPerSecond(for: key.mode))) shared by \(shard.count) shards; --max-rps sets it)" : " (--max-rps)")"
      )
    }
    var targets = Set<Target>()
    if options.platform {
      if shard.owns("") {
        targets.insert(Target(folder: "platform", account: nil))
      } else {
        report.summary.append(
          "--platform: the platform's own financial accounts belong to shard 0/\(shard.count); skipped")
      }
    }
    for account in options.accounts {
      if shard.owns(account) {
        targets.insert(Target(folder: account, account: account))
      } else {
        report.summary.append(
          "--account \(account) belongs to shard \(Shard.index(of: account, count: shard.count))/\(shard.count), not \(shard); skipped"
        )
      }
    }
    var accountsList: ListStats? = nil
    var othersListed = 0
    if options.allAccounts {
      let listed = try await pager.list(
        "accounts", APIRequest(path: "/v1/accounts"), itemType: "account", worker: "accounts")
      for object in listed.objects {
        guard InputFile.isAccountID(object.id) else {
          throw .invalidResponse(
            request: "GET /v1/accounts",
            reason: "'\(object.id)' is not a connected account id (acct_ and letters or digits)")
        }
        // Every shard lists all accounts (the list is how a shard learns which are its own), and fetches its own.
        guard shard.owns(object.id) else {
          othersListed += 1
          continue
        }
        targets.insert(Target(folder: object.id, account: object.id))
      }
      accountsList = listed.stats
    }
    if othersListed > 0 {
      report.summary.append(
        "--all-accounts: \(othersListed.counted("listed account")) belong\(othersListed == 1 ? "s" : "") to other shards than \(shard); skipped"
      )
    }

    if let newState { try stateFolder.save(newState) }
    let work = AccountWork(
      dumps: dumps, options: options, since: since, run: run, stateFolder: stateFolder, pager: pager,
      progress: progress, accountLimit: ConcurrencyLimit(options.concurrency),
      financialAccountLimit: ConcurrencyLimit(options.concurrency))
    var outcomes: [Target: Result<AccountState, AccountFailure>] = [:]
    await withTaskGroup(of: (Target, Result<AccountState, AccountFailure>).self) { group in
      for target in targets.sorted() {
        group.addTask { (target, await work.fetch(target)) }
      }
      for await (target, outcome) in group { outcomes[target] = outcome }
    }

    var manifest = FetchManifest(
      stripeVersion: options.stripeVersion, apiBase: options.apiBase.url, mode: key.mode, since: since,
      overlapSeconds: options.overlap, complete: true, accountsList: accountsList, accounts: [], totals: ListStats(),
      shard: shardLabel)
    var failures: [FetchError] = []
    var folders = Set(stateFolder.accountFolders())
    for target in targets { folders.insert(target.folder) }
    for folder in folders.sorted() {
      let target = targets.first { $0.folder == folder }
      var entry = FetchManifest.Account(
        folder: folder, status: "complete", inLastRun: target != nil, financialAccounts: [], lists: [:],
        balanceNotes: [], errors: [])
      let state: AccountState?
      if let target, case .failure(let failure) = outcomes[target] {
        entry.status = "failed"
        entry.errors = failure.errors.map { key.redact($0.message) }
        failures += failure.errors
        manifest.complete = false
        state = try stateFolder.loadAccount(folder)
      } else if let target, case .success(let fresh) = outcomes[target] {
        state = fresh
      } else {
        state = try stateFolder.loadAccount(folder)
      }
      if let state {
        entry.financialAccounts = state.financialAccounts.keys.sorted()
        entry.lists = state.lists
        entry.balanceNotes = state.balanceNotes.map(key.redact)
        if target != nil && entry.status == "complete" {
          for stats in state.lists.values { manifest.totals.add(stats) }
        }
        for stats in state.lists.values { manifest.totals.objects += stats.objects }
      }
      manifest.accounts.append(entry)
    }
    if let accountsList { manifest.totals.add(accountsList) }
    try StateFolder.save(manifest, dumps + "/" + FetchManifest.fileName)
    CrashPoint.beforeRunRemoval.reach()
    if failures.isEmpty { try run.remove() }
    for failure in failures { report.fail(failure) }

    finished = true
    let seconds = (ContinuousClock.now - started) / .seconds(1)
    let live = counters.snapshot
    let complete = manifest.accounts.filter { $0.inLastRun && $0.status == "complete" }.count
    let failed = manifest.accounts.filter { $0.status == "failed" }.count
    report.summary.append(
      "fetched \(live.objects.counted("object")) in \(live.pages.counted("page")) with \(live.requests.counted("request")) (\(live.retries.counted("retry", plural: "retries"))) in \(String(format: "%.1f", seconds)) s; \(complete.counted("account folder")) complete\(failed > 0 ? ", \(failed) failed" : "")"
    )
    report.summary.append(
      "\(dumps) holds \(manifest.totals.objects.counted("object")) in \(manifest.accounts.count.counted("account folder")) (see \(FetchManifest.fileName))"
    )
    for entry in manifest.accounts { for note in entry.balanceNotes { report.summary.append("note: " + note) } }
    if failed > 0 {
      report.summary.append(
        "\(failed) account folder\(failed == 1 ? "" : "s") could not be fetched and keep\(failed == 1 ? "s" : "") the previous dump; run the same command again to resume"
      )
    }
  }

  /// The shard as the state, the plan and the manifest record it: nil when unsharded.
  private var shardLabel: String? { options.shard.isWhole ? nil : options.shard.description }

  /// A rate for the summary: `22.5`, `90`.
  static func rate(_ value: Double) -> String {
    value == value.rounded() ? String(Int(value)) : String(format: "%.2f", value)
  }

  private func checkSelection() throws(FetchError) {
    guard options.platform || options.allAccounts || !options.accounts.isEmpty else {
      throw .usage("say what to fetch: --platform, --account acct_… (repeatable) and/or --all-accounts")
    }
    for account in options.accounts where !InputFile.isAccountID(account) {
      throw .usage("--account takes a connected account id (acct_ and letters or digits), found '\(account)'")
    }
    guard (1...100).contains(options.pageSize) else { throw .usage("--page-size must be between 1 and 100") }
    guard options.concurrency >= 1 else { throw .usage("--concurrency must be at least 1") }
    guard options.timeout > 0 else { throw .usage("--timeout must be positive") }
    guard options.retry.maxAttempts >= 1 else { throw .usage("--max-attempts must be at least 1") }
    guard options.overlap >= 0 else { throw .usage("--overlap must not be negative") }
    if let rps = options.maxRequestsPerSecond, !(rps > 0) { throw .usage("--max-rps must be positive") }
  }

  /// Creates DUMPS, or checks that an existing one is empty or was written by fetch.
  static func prepare(_ dumps: String) throws(FetchError) {
    let manager = FileManager.default
    var isFolder: ObjCBool = false
    if manager.fileExists(atPath: dumps, isDirectory: &isFolder) {
      guard isFolder.boolValue else { throw .usage("\(dumps) is a file; --out takes a folder") }
      let contents = (try? manager.contentsOfDirectory(atPath: dumps)) ?? []
      if !contents.isEmpty && !contents.contains(".fetch-state") {
        throw .usage(
          "\(dumps) is not empty and was not written by fetch (no .fetch-state); choose a new or empty folder")
      }
    }
    try AtomicFile.makeFolder(dumps)
  }

  /// Checks this run against what DUMPS was fetched with; returns the `--since` in force, and the state to save
  /// (on a first run, once discovery succeeded: a first run that fails at once leaves nothing to contradict later).
  private func settleState(_ folder: StateFolder) throws(FetchError) -> (Int64?, FetchState?) {
    guard let state = try folder.loadState() else {
      return (
        options.since,
        FetchState(stripeVersion: options.stripeVersion, mode: key.mode, since: options.since, shard: shardLabel)
      )
    }
    // A folder holds one shard (or all accounts): its account states, checkpoints, lock and manifest are that
    // shard's, so another shard writing there would list its folders as its own and resume its pages.
    guard state.shard == shardLabel else {
      let held = state.shard.map { "shard \($0)'s accounts" } ?? "an unsharded fetch (every account)"
      let this = shardLabel.map { "shard \($0)" } ?? "an unsharded fetch"
      let example =
        shardLabel == nil ? "" : " (one per shard, e.g. dumps-\(options.shard.index)-of-\(options.shard.count))"
      throw .usage(
        "\(folder.root.dropLast(StateFolder.name.count + 1)) holds \(held); \(this) needs a dumps folder of its own: fetch into a new folder\(example)"
      )
    }
    guard state.stripeVersion == options.stripeVersion else {
      throw .usage(
        "\(folder.root) was fetched with Stripe-Version \(state.stripeVersion), not \(options.stripeVersion); objects of two API versions do not go in one dump: fetch into a new folder"
      )
    }
    guard state.mode == key.mode else {
      throw .usage(
        "the dumps hold \(state.mode.rawValue)-mode data and this key is a \(key.mode.rawValue)-mode key; fetch into a new folder"
      )
    }
    if let since = options.since, since != state.since {
      throw .usage(
        "the dumps were fetched with \(state.since.map { "--since at Unix time \($0)" } ?? "no --since"); a different --since needs a new folder"
      )
    }
    return (state.since, nil)
  }

  static func describe(_ plan: RunFolder.Plan) -> String {
    var parts: [String] = []
    if plan.platform { parts.append("--platform") }
    if plan.allAccounts { parts.append("--all-accounts") }
    parts += plan.accounts.map { "--account \($0)" }
    // --since takes a date and is kept as its first second (UTC).
    if let since = plan.since { parts.append("--since \(CivilDate(daysSinceEpoch: Int(since / 86_400)).iso)") }
    parts.append("--api-base \(plan.apiBase)")
    parts.append("--stripe-version \(plan.stripeVersion)")
    parts.append("--overlap \(plan.overlap)")
    parts.append("--page-size \(plan.pageSize)")
    if let shard = plan.shard { parts.append("--shard \(shard)") }
    return parts.joined(separator: " ")
  }
}
