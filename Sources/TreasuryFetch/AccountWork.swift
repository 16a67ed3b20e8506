@_spi(Inlining) import TreasuryModel

/// Fetches one account folder (its financial accounts in parallel) and commits its dump.
struct AccountWork: Sendable {
  let dumps: String
  let options: FetchOptions
  let since: Int64?
  let run: RunFolder
  let stateFolder: StateFolder
  let pager: ListPager
  let progress: FetchProgress
  /// Account folders in flight (each holds its dump in memory).
  let accountLimit: ConcurrencyLimit
  /// Financial accounts being fetched at once.
  let financialAccountLimit: ConcurrencyLimit

  func fetch(_ target: FetchJob.Target) async -> Result<AccountState, AccountFailure> {
    await accountLimit.acquire()
    defer { accountLimit.release() }
    do throws(FetchError) {
      return try await fetchAndCommit(target)
    } catch {
      if error.stopsEverything { pager.client.stop() }
      return .failure(AccountFailure(errors: [error]))
    }
  }

  /// The account's committed state, or the failures of its financial accounts; a failure of the account itself
  /// (its dump, its state) is thrown.
  private func fetchAndCommit(_ target: FetchJob.Target) async throws(FetchError) -> Result<
    AccountState, AccountFailure
  > {
    let folder = target.folder
    if run.isCommitted(folder), let state = try stateFolder.loadAccount(folder) { return .success(state) }
    var previous = try stateFolder.loadAccount(folder) ?? AccountState(account: target.account)
    let dump = try AccountDump(folder: dumps + "/" + folder)
    // Windows are only safe over the files the last run wrote: a dump file removed or cut short since
    // (counts differ) would silently lose history, so everything is fetched again. (A run killed while
    // committing also leaves counts that differ; it resumes from its saved pages, which this does not change.)
    let changed = DumpList.allCases.filter {
      (dump.objects[$0]?.count ?? 0) != (previous.lists[$0.rawValue]?.objects ?? 0)
    }
    if !changed.isEmpty && !previous.financialAccounts.isEmpty && !run.hasParts(under: folder) {
      progress.log(
        "\(folder): \(changed.map(\.fileName).joined(separator: ", ")) differ from what the last fetch wrote; fetching everything again"
      )
      previous.financialAccounts = [:]
    }

    let listed = try await financialAccountLimit.withPermit { () async throws(FetchError) -> ListPager.Result in
      try await pager.list(
        folder + "/financial_accounts", APIRequest(path: DumpList.financialAccounts.path, account: target.account),
        itemType: DumpList.financialAccounts.objectType, worker: folder)
    }
    let financialAccounts = Array(Set(listed.objects.map(\.id))).sorted()
    let results = await withTaskGroup(of: (String, Result<FinancialAccountFetch.Result, FetchError>).self) { group in
      for fa in financialAccounts {
        let cutoffs = previous.financialAccounts[fa]
        let work = FinancialAccountFetch(
          folder: folder, account: target.account, financialAccount: fa,
          transactionsSince: window(cutoffs?.transactions), entriesSince: window(cutoffs?.entries),
          existingTransactions: dump.transactions(of: fa), existingEntries: dump.entries(of: fa),
          checksBalance: since == nil, pager: pager)
        group.addTask {
          await financialAccountLimit.acquire()
          defer { financialAccountLimit.release() }
          do throws(FetchError) {
            return (fa, .success(try await work.run()))
          } catch {
            if error.stopsEverything { pager.client.stop() }
            return (fa, .failure(error))
          }
        }
      }
      var all: [String: Result<FinancialAccountFetch.Result, FetchError>] = [:]
      for await (fa, result) in group { all[fa] = result }
      return all
    }
    var errors: [FetchError] = []
    var fetched: [(String, FinancialAccountFetch.Result)] = []
    for fa in financialAccounts {
      guard let result = results[fa] else { continue }
      switch result {
      case .success(let r): fetched.append((fa, r))
      case .failure(let error): if error != FetchError.stopped || errors.isEmpty { errors.append(error) }
      }
    }
    if !errors.isEmpty {
      progress.log(
        "\(folder): failed; the previous dump is kept (\(errors.count) error\(errors.count == 1 ? "" : "s"))")
      return .failure(AccountFailure(errors: errors))
    }
    return .success(try commit(target, previous: previous, dump: dump, listed: listed, fetched: fetched))
  }

  /// `created[gte]` for a list: the previous run's start less the overlap, never before `--since`.
  private func window(_ cutoff: Int64?) -> Int64? {
    let incremental = cutoff.map { $0 - options.overlap }
    switch (since, incremental) {
    case (nil, nil): return nil
    case (let s?, nil): return s
    case (nil, let i?): return i
    case (let s?, let i?): return max(s, i)
    }
  }

  /// Merges the account's pages into its dump files, then records the new state; repeating it changes nothing.
  private func commit(
    _ target: FetchJob.Target, previous: AccountState, dump: AccountDump, listed: ListPager.Result,
    fetched: [(String, FinancialAccountFetch.Result)]
  ) throws(FetchError) -> AccountState {
    var state = previous
    state.account = target.account
    state.balanceNotes = []
    var incoming: [DumpList: [FetchedObject]] = [.financialAccounts: listed.objects]
    var stats: [DumpList: ListStats] = [.financialAccounts: listed.stats]
    for (fa, result) in fetched {
      for list in DumpList.allCases {
        incoming[list, default: []] += result.fetched[list] ?? []
        stats[list, default: ListStats()].add(result.stats[list] ?? ListStats())
      }
      state.financialAccounts[fa] = result.cutoffs
      if let note = result.balanceNote { state.balanceNotes.append(note) }
    }
    var merged: [DumpList: [FetchedObject]] = [:]
    for list in DumpList.allCases {
      merged[list] = AccountDump.merge(dump.objects[list] ?? [], incoming[list] ?? [])
    }
    let nothing = DumpList.allCases.allSatisfy { (merged[$0] ?? []).isEmpty }
    let counts = nothing ? [:] : try dump.write(merged)
    state.lists = [:]
    for list in DumpList.allCases {
      var s = stats[list] ?? ListStats()
      s.objects = counts[list] ?? 0
      state.lists[list.rawValue] = s
    }
    CrashPoint.afterDumpFiles.reach()
    try stateFolder.save(state, folder: target.folder)
    CrashPoint.afterAccountState.reach()
    try run.markCommitted(target.folder)
    let t = state.lists[DumpList.transactions.rawValue] ?? ListStats()
    let e = state.lists[DumpList.transactionEntries.rawValue] ?? ListStats()
    let requests = state.lists.values.reduce(0) { $0 + $1.requests }
    let retries = state.lists.values.reduce(0) { $0 + $1.retries }
    progress.log(
      "\(target.folder): \(state.financialAccounts.count.counted("financial account")), \(t.objects.counted("transaction")) (\(t.fetched) fetched), \(e.objects.counted("entry", plural: "entries")) (\(e.fetched) fetched); \(requests.counted("request")), \(retries.counted("retry", plural: "retries"))"
    )
    return state
  }
}
