@_spi(Inlining) import TreasuryModel

/// Everything a run fetches for one financial account, in an order that keeps the dump consistent.
///
/// 1. transactions, then entries (created since the window start, or all);
/// 2. every transaction still open, and every transaction an entry names but
///    the dump lacks, re-read by id (they may have posted or voided);
/// 3. for each posted or void transaction whose entries in the dump do not add
///    up to it (it settled while the lists were read), its entries by
///    `transaction=`: settled transactions gain no more entries;
/// 4. the financial account itself, last, so its reported balance is as close
///    as possible to the entries; a difference is noted (activity during the run).
struct FinancialAccountFetch {
  let folder: String
  let account: String?
  let financialAccount: String
  /// `created[gte]` for transactions and entries; nil fetches everything.
  let transactionsSince: Int64?
  let entriesSince: Int64?
  let existingTransactions: [String: FetchedObject]
  let existingEntries: [FetchedObject]
  let checksBalance: Bool
  let pager: ListPager

  struct Result {
    var fetched: [DumpList: [FetchedObject]] = [:]
    var stats: [DumpList: ListStats] = [:]
    var cutoffs = AccountState.Cutoffs()
    var balanceNote: String?
  }

  func run() async throws(FetchError) -> Result {
    let base = folder + "/" + financialAccount
    let worker = base
    var result = Result()
    defer { pager.counters.working(worker, on: nil) }

    let transactions = try await pager.list(
      base + "/transactions", listRequest(.transactions, since: transactionsSince),
      itemType: DumpList.transactions.objectType,
      worker: worker)
    let entries = try await pager.list(
      base + "/transaction_entries", listRequest(.transactionEntries, since: entriesSince),
      itemType: DumpList.transactionEntries.objectType, worker: worker)
    result.cutoffs = AccountState.Cutoffs(
      transactions: transactions.firstServerTime, entries: entries.firstServerTime)

    var known = existingTransactions
    for t in transactions.objects where AccountDump.keeps(t, over: known[t.id]) { known[t.id] = t }
    var reread = Set(known.values.filter { !$0.isSettled }.map(\.id))
    for e in entries.objects {
      guard let t = e.transaction else { continue }
      guard FetchedObject.isSafeID(t) else {
        throw .invalidResponse(request: "entry \(e.id)", reason: "names transaction '\(t)', which is not a valid id")
      }
      if known[t] == nil { reread.insert(t) }
    }
    let rereadResult = try await pager.retrieve(
      base + "/reread", ids: reread.sorted(), path: { "/v1/treasury/transactions/" + $0 }, account: account,
      itemType: DumpList.transactions.objectType, worker: worker)
    for t in rereadResult.objects where AccountDump.keeps(t, over: known[t.id]) { known[t.id] = t }

    var entriesByID: [String: FetchedObject] = [:]
    for e in existingEntries + entries.objects { entriesByID[e.id] = e }
    var sums: [String: SubBalances] = [:]
    for e in entriesByID.values {
      guard let t = e.transaction, let impact = e.impact else { continue }
      sums[t] = Self.add(sums[t, default: .zero], impact)
    }
    var settleStats = ListStats()
    var settled: [FetchedObject] = []
    let fetchedNow = Set(transactions.objects.map(\.id)).union(rereadResult.objects.map(\.id))
    for id in fetchedNow.sorted() {
      guard let t = known[id], t.isSettled, !Self.entriesMatch(t, sums[id]) else { continue }
      var request = listRequest(.transactionEntries, since: nil)
      request.query.append(("transaction", id))
      let more = try await pager.list(
        base + "/settle/" + id, request, itemType: DumpList.transactionEntries.objectType, worker: worker)
      for e in more.objects where entriesByID.updateValue(e, forKey: e.id) == nil {
        if let impact = e.impact { sums[id] = Self.add(sums[id, default: .zero], impact) }
      }
      settled += more.objects
      settleStats.add(more.stats)
    }

    let fa = try await pager.retrieve(
      base + "/financial_account", ids: [financialAccount], path: { "/v1/treasury/financial_accounts/" + $0 },
      account: account, itemType: DumpList.financialAccounts.objectType, worker: worker)

    result.fetched[.transactions] = transactions.objects + rereadResult.objects
    result.fetched[.transactionEntries] = entries.objects + settled
    result.fetched[.financialAccounts] = fa.objects
    var t = transactions.stats
    t.add(rereadResult.stats)
    var e = entries.stats
    e.add(settleStats)
    result.stats = [.transactions: t, .transactionEntries: e, .financialAccounts: fa.stats]
    if checksBalance, let reported = fa.objects.last?.balance {
      result.balanceNote = Self.balanceNote(financialAccount, reported: reported, entries: Array(entriesByID.values))
    }
    return result
  }

  private func listRequest(_ list: DumpList, since: Int64?) -> APIRequest {
    var query = [("financial_account", financialAccount)]
    if let since { query.append(("created[gte]", String(since))) }
    return APIRequest(path: list.path, query: query, account: account)
  }

  /// `sum + impact`; amounts beyond `Money.balanceLimit` are the reader's to reject, so the sum stays put.
  static func add(_ sum: SubBalances, _ impact: SubBalances) -> SubBalances { sum.adding(impact) ?? sum }

  /// Whether a transaction's entries (summed) add up to its balance_impact and, when posted, to its amount.
  static func entriesMatch(_ transaction: FetchedObject, _ sum: SubBalances?) -> Bool {
    let sum = sum ?? .zero
    if let impact = transaction.impact, impact != sum { return false }
    if transaction.status == "posted", let amount = transaction.amount, amount != sum.booked { return false }
    return true
  }

  /// A note when the account's reported balance differs from the sum of its entries, else nil.
  static func balanceNote(_ fa: String, reported: [String: SubBalances], entries: [FetchedObject]) -> String? {
    var sums: [String: SubBalances] = [:]
    for e in entries {
      guard let currency = e.currency, let impact = e.impact else { continue }
      sums[currency] = add(sums[currency, default: .zero], impact)
    }
    var differing: [String] = []
    for currency in Set(reported.keys).union(sums.keys).sorted() {
      let r = reported[currency] ?? .zero
      let s = sums[currency] ?? .zero
      if r != s {
        differing.append(
          "\(currency): reported booked \(r.booked), entries \(s.booked) (cash \(r.cash) vs \(s.cash))")
      }
    }
    guard !differing.isEmpty else { return nil }
    return
      "\(fa): reported balance differs from its entries (\(differing.joined(separator: "; "))), in minor units: money moved during the fetch; the next fetch catches up"
  }
}
