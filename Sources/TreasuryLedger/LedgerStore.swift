@_spi(Inlining) import TreasuryModel

/// Collects the decoded objects of one connected account, deduplicating as they arrive.
///
/// Entries dedupe by id (they never change, so two different copies are a
/// conflict). A transaction keeps its most advanced copy (`posted`/`void`
/// beat `open`) whatever the order of lines; equal-rank copies that differ
/// are settled by content, and two final copies that disagree on money or
/// state are a conflict. The counts are derived from per-id tallies at the
/// end, so they too are the same for any order of lines.
///
/// Copies of one id under two financial accounts are not compared here (the
/// first one's account is kept): a store sees one unit or partition, and
/// `IdIndex`, fed through `sightings`, finds them run-wide.
package struct LedgerStore: ObjectSink, Sendable {
  package private(set) var symbols: SymbolTable
  package private(set) var transactions: [TransactionRecord] = []
  package private(set) var entries: [EntryRecord] = []
  /// Symbol index → slot + 1 in `transactions` / `entries` (0: none).
  private var transactionSlots: [Int32] = []
  private var entrySlots: [Int32] = []
  /// Per transaction slot: copies read, copies read in state `open`, and
  /// whether copies in the kept state differed.
  private var copies: [UInt32] = []
  private var openCopies: [UInt32] = []
  private var differing: [Bool] = []
  package private(set) var financialAccounts: [String: FinancialAccountInfo] = [:]
  /// Every distinct `balance` reported per financial account and currency (copies fetched at different times may
  /// differ).
  package private(set) var reportedBalances = ReportedBalances()
  package private(set) var connectedAccounts: [String: ConnectedAccountInfo] = [:]
  private var read = ObjectCounts()
  package private(set) var conflicts: [CopyConflict] = []
  package private(set) var livemode = LivemodeSeen()
  /// Earliest and latest instant of any activity (created, effective, posted, voided), and where each was read.
  private var activity = ActivityMarks()
  package var firstActivity: Int64 { activity.first }
  package var lastActivity: Int64 { activity.last }
  /// The span's ends with the ids and places of their objects.
  package var activitySpan: ActivitySpan { activity.span(symbols) }
  /// Where the run's id index learns of every transaction and entry copy read (nil: not noted, as when a
  /// partition is loaded back from its spill files, whose copies were noted as they were read).
  package var sightings: (any IdSightings)?

  package init(capacity: Int = 4096) {
    symbols = SymbolTable(capacity: capacity)
  }

  /// Empties the store for the next unit of work, keeping its memory: freeing
  /// and refaulting several megabytes per account costs more than reading them.
  package mutating func removeAll() {
    symbols.removeAll()
    sightings?.forgetSymbols()
    transactions.removeAll(keepingCapacity: true)
    entries.removeAll(keepingCapacity: true)
    transactionSlots.removeAll(keepingCapacity: true)
    entrySlots.removeAll(keepingCapacity: true)
    copies.removeAll(keepingCapacity: true)
    openCopies.removeAll(keepingCapacity: true)
    differing.removeAll(keepingCapacity: true)
    financialAccounts.removeAll()
    reportedBalances.removeAll()
    connectedAccounts.removeAll()
    read = ObjectCounts()
    conflicts.removeAll()
    livemode = LivemodeSeen()
    activity = ActivityMarks()
  }

  package mutating func intern(_ bytes: UnsafeRawBufferPointer) -> Symbol {
    symbols.intern(bytes)
  }

  package mutating func add(transaction t: TransactionRecord) {
    read.transactions += 1
    sightings?.note(.transaction, id: t.id, account: t.financialAccount, file: t.source.file, symbols: symbols)
    livemode.note(t.livemode, t.source)
    activity.note(t.created, t.source, t.id)
    if let at = t.resolvedAt { activity.note(at, t.source, t.id) }
    let isOpen: UInt32 = t.status == .open ? 1 : 0
    guard let slot = Self.slot(of: t.id, in: &transactionSlots, next: transactions.count, symbols: symbols.count) else {
      transactions.append(t)
      copies.append(1)
      openCopies.append(isOpen)
      differing.append(false)
      return
    }
    if t.financialAccount != transactions[slot].financialAccount { return }
    copies[slot] += 1
    openCopies[slot] += isOpen
    let kept = transactions[slot]
    if t.status.rank != kept.status.rank {
      if t.status.rank > kept.status.rank {
        transactions[slot] = t
        differing[slot] = false
      }
      return
    }
    if kept.sameContent(as: t) {
      if t.source < kept.source { transactions[slot].source = t.source }
      return
    }
    if t.status != .open
      && (t.status != kept.status || t.amount != kept.amount || t.postedAt != kept.postedAt || t.voidAt != kept.voidAt
        || t.impact != kept.impact || t.currency != kept.currency)
    {
      let (first, second) = t.source < kept.source ? (t, kept) : (kept, t)
      conflicts.append(
        CopyConflict(
          id: symbols.string(t.id), detail: Self.conflictDetail(first, second, symbols: symbols), first: first.source,
          second: second.source))
      return
    }
    differing[slot] = true
    if preferred(t, over: kept) { transactions[slot] = t }
  }

  /// What was read and what deduplication did with it; the same for any order of lines.
  package var counts: ObjectCounts {
    var result = read
    var stale = 0
    var extra = 0
    for slot in transactions.indices {
      extra += Int(copies[slot]) - 1
      if transactions[slot].status != .open { stale += Int(openCopies[slot]) }
    }
    result.staleCopiesSuperseded = stale
    result.differingCopies = differing.lazy.filter { $0 }.count
    result.duplicatesDropped =
      (extra - stale) + (read.entries - entries.count) + (read.financialAccounts - financialAccounts.count)
      + (read.accounts - connectedAccounts.count)
    return result
  }

  package mutating func add(entry e: EntryRecord) {
    read.entries += 1
    sightings?.note(.entry, id: e.id, account: e.financialAccount, file: e.source.file, symbols: symbols)
    livemode.note(e.livemode, e.source)
    activity.note(e.effectiveAt, e.source, e.id)
    activity.note(e.created, e.source, e.id)
    guard let slot = Self.slot(of: e.id, in: &entrySlots, next: entries.count, symbols: symbols.count) else {
      entries.append(e)
      return
    }
    let kept = entries[slot]
    if e.financialAccount != kept.financialAccount { return }
    if kept.sameContent(as: e) {
      if e.source < kept.source { entries[slot].source = e.source }
      return
    }
    let (first, second) = e.source < kept.source ? (e, kept) : (kept, e)
    conflicts.append(
      CopyConflict(
        id: symbols.string(e.id), detail: Self.conflictDetail(first, second, symbols: symbols), first: first.source,
        second: second.source))
  }

  package mutating func add(financialAccount info: FinancialAccountInfo) {
    read.financialAccounts += 1
    livemode.note(info.livemode, info.source)
    reportedBalances.insert(info.reportedBalance, of: info.id)
    guard var kept = financialAccounts[info.id] else {
      financialAccounts[info.id] = info
      return
    }
    // Keep the smallest value of each field, so that order never matters.
    kept.holderName = smallest(kept.holderName, info.holderName)
    kept.bankName = smallest(kept.bankName, info.bankName)
    kept.routingNumber = smallest(kept.routingNumber, info.routingNumber)
    kept.accountNumberLast4 = smallest(kept.accountNumberLast4, info.accountNumberLast4)
    kept.status = smallest(kept.status.isEmpty ? nil : kept.status, info.status.isEmpty ? nil : info.status) ?? ""
    kept.source = min(kept.source, info.source)
    financialAccounts[info.id] = kept
  }

  package mutating func add(connectedAccount info: ConnectedAccountInfo) {
    read.accounts += 1
    guard var kept = connectedAccounts[info.id] else {
      connectedAccounts[info.id] = info
      return
    }
    kept.name = smallest(kept.name, info.name)
    kept.source = min(kept.source, info.source)
    connectedAccounts[info.id] = kept
  }

  package mutating func ignore(objectType: String, source: SourceLocation) {
    read.ignored[objectType, default: 0] += 1
  }

  // MARK: Helpers

  /// The slot an id already has, or nil after giving it slot `next` (the caller appends there).
  @inline(__always)
  private static func slot(of id: Symbol, in slots: inout [Int32], next: Int, symbols: Int) -> Int? {
    let key = Int(id.index)
    if key >= slots.count {
      slots.append(contentsOf: repeatElement(0, count: max(key + 1, symbols, slots.count * 2) - slots.count))
    }
    let slot = Int(slots[key]) - 1
    if slot >= 0 { return slot }
    slots[key] = Int32(next + 1)
    return nil
  }
}
