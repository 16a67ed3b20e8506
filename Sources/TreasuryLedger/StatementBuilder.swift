@_spi(Inlining) import TreasuryModel

/// Computes a ledger's statements for a list of periods.
///
/// Totals never need the records in order: each entry, posting and voiding
/// is added to the period it falls in (a binary search over the periods), and
/// balances at each boundary are prefix sums. Only statement lines need order,
/// and then only within their period; summary-only runs never sort.
package struct StatementBuilder {
  /// Whether statements carry their lines (CSV files need them; the summary does not).
  package var includeLines: Bool

  package init(includeLines: Bool) {
    self.includeLines = includeLines
  }

  /// Emits a statement for each period (sorted, not overlapping) that ends after the ledger's first activity.
  ///
  /// Returns the ledger's tail: its state after all activity.
  package func build(
    _ ledger: AccountLedger, periods: [Period], symbols: SymbolTable, account: String,
    header: FinancialAccountInfo?, emit: (Statement) throws(LedgerError) -> Void
  ) throws(LedgerError) -> LedgerTail {
    try build(ledger, periods: periods, symbols: symbols, account: account, header: header, emit: emit) { $0 }
  }

  /// `build`, for an `emit` that fails with the caller's own error: `failure` turns the ledger's into it.
  ///
  /// Only the loop that hands statements out is generic: the totals and the tail are computed by non-generic code,
  /// which stays fast when the caller is in another target and this cannot be specialized for its error.
  package func build<Failure: Error>(
    _ ledger: AccountLedger, periods: [Period], symbols: SymbolTable, account: String,
    header: FinancialAccountInfo?, emit: (Statement) throws(Failure) -> Void,
    failure: (LedgerError) -> Failure
  ) throws(Failure) -> LedgerTail {
    let totals: PeriodTotals
    do { totals = try PeriodTotals(ledger, periods: periods, symbols: symbols) } catch { throw failure(error) }
    let lines = includeLines ? StatementLines(ledger, calendar: totals.calendar, symbols: symbols) : nil
    for k in periods.indices {
      guard var statement = totals.statement(k, account: account, header: header) else { continue }
      if let lines {
        do { try lines.fill(&statement, period: k, overflow: totals.overflow) } catch { throw failure(error) }
      }
      try emit(statement)
    }
    return totals.tail(ledger, lines: lines, symbols: symbols, account: account, header: header)
  }
}

/// A ledger's balances at every period boundary and its totals per period, before any statement is made.
struct PeriodTotals {
  let faName: String
  let currencyName: String
  let periods: [Period]
  let calendar: PeriodIndex
  let firstActivity: Int64
  /// Balance at each boundary (before it), and after all activity.
  let before: [SubBalances]
  let total: SubBalances
  let credits: [Int64]
  let debits: [Int64]
  let posted: [Int]
  let voided: [Int]
  /// Transactions open at each period's end.
  let open: [Int]
  /// Transactions never resolved.
  let stillOpen: Int

  init(_ ledger: AccountLedger, periods: [Period], symbols: SymbolTable) throws(LedgerError) {
    let faName = symbols.string(ledger.financialAccount)
    let currencyName = symbols.string(ledger.currency)
    let ledgerOverflow = { (label: String) in
      LedgerError.overflow(financialAccount: faName, currency: currencyName, period: label)
    }
    let entries = ledger.entries
    let transactions = ledger.transactions
    let calendar = PeriodIndex(periods)
    let count = periods.count

    // Balances: entries summed between consecutive boundaries, then prefix sums.
    var moved = [SubBalances](repeating: .zero, count: calendar.boundaries.count + 1)
    var total = SubBalances.zero
    for entry in entries {
      let slot = calendar.boundariesAtOrBefore(entry.effectiveAt)
      guard let sum = moved[slot].adding(entry.impact), let all = total.adding(entry.impact) else {
        throw ledgerOverflow("all periods")
      }
      moved[slot] = sum
      total = all
    }
    var before = [SubBalances](repeating: .zero, count: calendar.boundaries.count)
    var running = SubBalances.zero
    for j in 0..<calendar.boundaries.count {
      guard let next = running.adding(moved[j]) else { throw ledgerOverflow("all periods") }
      running = next
      before[j] = running
    }

    // Postings and voidings: in the period that holds their instant.
    var credits = [Int64](repeating: 0, count: count)
    var debits = [Int64](repeating: 0, count: count)
    var posted = [Int](repeating: 0, count: count)
    var voided = [Int](repeating: 0, count: count)
    // Open at a period's end: created before it, resolved at or after it.
    var openDelta = [Int](repeating: 0, count: count + 1)
    var stillOpen = 0
    for t in transactions {
      let place = calendar.place(t)
      if let k = place.posted {
        var failed = false
        if t.amount >= 0 {
          (credits[k], failed) = credits[k].addingReportingOverflow(t.amount)
        } else {
          (debits[k], failed) = debits[k].addingReportingOverflow(-t.amount)
        }
        // Totals stay within the balance limit too, so credits − debits and the
        // statement's difference cannot overflow.
        if failed || !Money.isBalance(credits[k]) || !Money.isBalance(debits[k]) {
          throw ledgerOverflow(periods[k].label)
        }
        posted[k] += 1
      }
      if let k = place.voided { voided[k] += 1 }
      if !place.openAtEnd.isEmpty {
        openDelta[place.openAtEnd.lowerBound] += 1
        openDelta[place.openAtEnd.upperBound] -= 1
      }
      if t.resolvedAt == nil { stillOpen += 1 }
    }

    var open = [Int](repeating: 0, count: count)
    var openNow = 0
    for k in 0..<count {
      openNow += openDelta[k]
      open[k] = openNow
    }
    self.faName = faName
    self.currencyName = currencyName
    self.periods = periods
    self.calendar = calendar
    self.firstActivity = ledger.firstActivity
    self.before = before
    self.total = total
    self.credits = credits
    self.debits = debits
    self.posted = posted
    self.voided = voided
    self.open = open
    self.stillOpen = stillOpen
  }

  func overflow(_ label: String) -> LedgerError {
    .overflow(financialAccount: faName, currency: currencyName, period: label)
  }

  /// Period `k`'s statement without lines, or nil when the period ends before the ledger's first activity.
  func statement(_ k: Int, account: String, header: FinancialAccountInfo?) -> Statement? {
    let period = periods[k]
    guard period.end > firstActivity else { return nil }
    return Statement(
      key: StatementKey(financialAccount: faName, currency: currencyName, period: period),
      account: account, header: header, opening: before[calendar.startBoundary[k]],
      closing: before[calendar.endBoundary[k]], credits: credits[k], debits: debits[k], postedCount: posted[k],
      voidCount: voided[k], openCount: open[k])
  }

  /// The ledger's state after all activity, for the periods after it.
  func tail(
    _ ledger: AccountLedger, lines: StatementLines?, symbols: SymbolTable, account: String,
    header: FinancialAccountInfo?
  ) -> LedgerTail {
    var tailSymbols = SymbolTable(capacity: 16)
    let pending =
      lines?.pendingAfterAll().map { line in
        PendingLine(
          transaction: line.transaction.reinterned(from: symbols, into: &tailSymbols), impactAtEnd: line.impactAtEnd)
      } ?? []
    return LedgerTail(
      financialAccount: faName, currency: currencyName, account: account, header: header, closing: total,
      firstActivity: firstActivity, openCount: stillOpen, pending: pending, symbols: tailSymbols)
  }
}

/// Finds which period, or which boundary, an instant falls in.
struct PeriodIndex {
  let periods: [Period]
  /// Every distinct start and end, sorted.
  let boundaries: [Int64]
  /// Index into `boundaries` of each period's start and end.
  let startBoundary: [Int]
  let endBoundary: [Int]
  let ends: [Int64]

  init(_ periods: [Period]) {
    self.periods = periods
    let sorted = Array(Set(periods.flatMap { [$0.start, $0.end] })).sorted()
    boundaries = sorted
    let position = Dictionary(uniqueKeysWithValues: sorted.enumerated().map { ($1, $0) })
    startBoundary = periods.map { position[$0.start] ?? 0 }
    endBoundary = periods.map { position[$0.end] ?? 0 }
    ends = periods.map(\.end)
  }

  /// How many boundaries are at or before `time`: entries with this value are
  /// counted in every balance taken at a later boundary.
  @inline(__always)
  func boundariesAtOrBefore(_ time: Int64) -> Int { Self.upperBound(boundaries, time) }

  /// How many periods end at or before `time`.
  @inline(__always)
  func periodsEndingAtOrBefore(_ time: Int64) -> Int { Self.upperBound(ends, time) }

  /// Where one transaction lands among the periods.
  struct Placement {
    /// The period it posted in (posted transactions only).
    var posted: Int?
    /// The period it was voided in (voided transactions only).
    var voided: Int?
    /// The periods at whose end it was open: created before the end, resolved at or after it (or never).
    var openAtEnd: Range<Int>
  }

  /// The one rule for posted, voided and open-at-end: the statement totals and the statement lines both use it.
  @inline(__always)
  func place(_ t: TransactionRecord) -> Placement {
    let posted = t.status == .posted ? t.postedAt.flatMap(period(holding:)) : nil
    let voided = t.status == .void ? t.voidAt.flatMap(period(holding:)) : nil
    let first = periodsEndingAtOrBefore(t.created)
    let last = t.resolvedAt.map(periodsEndingAtOrBefore) ?? periods.count
    return Placement(posted: posted, voided: voided, openAtEnd: first..<max(first, last))
  }

  /// The period [start, end) that holds `time`, if any.
  @inline(__always)
  func period(holding time: Int64) -> Int? {
    let k = Self.upperBound(ends, time)
    return k < periods.count && periods[k].start <= time ? k : nil
  }

  /// The number of elements of `sorted` that are ≤ `value`.
  @inline(__always)
  static func upperBound(_ sorted: [Int64], _ value: Int64) -> Int {
    var low = 0
    var high = sorted.count
    while low < high {
      let mid = (low + high) >> 1
      if sorted[mid] <= value { low = mid + 1 } else { high = mid }
    }
    return low
  }
}

/// The lines of a ledger's statements: records grouped by period, then ordered within each.
struct StatementLines {
  let symbols: SymbolTable
  let calendar: PeriodIndex
  let entries: [EntryRecord]
  let transactions: [TransactionRecord]
  /// Per period: indices of entries effective in it, of transactions posted in it, voided in it, open at its end.
  var entriesIn: [[Int]]
  var postedIn: [[Int]]
  var voidedIn: [[Int]]
  var openAtEnd: [[Int]]
  /// Entries per transaction, for what a pending transaction had moved by a period's end.
  var entriesOf: [Symbol: [Int]] = [:]

  init(_ ledger: AccountLedger, calendar: PeriodIndex, symbols: SymbolTable) {
    self.symbols = symbols
    self.calendar = calendar
    entries = ledger.entries
    transactions = ledger.transactions
    let count = calendar.periods.count
    entriesIn = Array(repeating: [], count: count)
    postedIn = Array(repeating: [], count: count)
    voidedIn = Array(repeating: [], count: count)
    openAtEnd = Array(repeating: [], count: count)
    // Only transactions pending at some period's end (or still open) need their entries at hand.
    var pending = Set<Symbol>()
    for (i, t) in transactions.enumerated() {
      let place = calendar.place(t)
      if let k = place.posted { postedIn[k].append(i) }
      if let k = place.voided { voidedIn[k].append(i) }
      if !place.openAtEnd.isEmpty {
        for k in place.openAtEnd { openAtEnd[k].append(i) }
        pending.insert(t.id)
      }
      if t.resolvedAt == nil { pending.insert(t.id) }
    }
    for (i, e) in entries.enumerated() {
      if let k = calendar.period(holding: e.effectiveAt) { entriesIn[k].append(i) }
      if pending.contains(e.transaction) { entriesOf[e.transaction, default: []].append(i) }
    }
  }

  /// Adds period `k`'s lines to its statement, each list in statement order.
  func fill(_ statement: inout Statement, period k: Int, overflow: (String) -> LedgerError) throws(LedgerError) {
    let label = calendar.periods[k].label
    var balance = statement.opening
    for i in entriesIn[k].sorted(by: entryOrder) {
      guard let next = balance.adding(entries[i].impact) else { throw overflow(label) }
      balance = next
      statement.entryLines.append(EntryLine(entry: entries[i], running: balance))
    }
    var booked = statement.opening.booked
    for i in postedIn[k].sorted(by: { order(transactions[$0].postedAt, $0, transactions[$1].postedAt, $1) }) {
      booked = booked &+ transactions[i].amount
      guard Money.isBalance(booked) else { throw overflow(label) }
      statement.bookedLines.append(BookedLine(transaction: transactions[i], runningBooked: booked))
    }
    statement.voidedLines = voidedIn[k].sorted(by: { order(transactions[$0].voidAt, $0, transactions[$1].voidAt, $1) })
      .map { transactions[$0] }
    statement.pendingLines = pendingLines(openAtEnd[k], before: calendar.periods[k].end)
  }

  /// Transactions still open after everything in the dump (with every entry they have).
  func pendingAfterAll() -> [PendingLine] {
    pendingLines(transactions.indices.filter { transactions[$0].resolvedAt == nil }, before: .max)
  }

  private func pendingLines(_ open: [Int], before end: Int64) -> [PendingLine] {
    open.sorted(by: { order(transactions[$0].created, $0, transactions[$1].created, $1) }).map { i in
      let t = transactions[i]
      var impact = SubBalances.zero
      for e in entriesOf[t.id] ?? [] where entries[e].effectiveAt < end {
        // Bounded: one transaction's entries, each within Money.limit.
        impact = impact.adding(entries[e].impact) ?? impact
      }
      return PendingLine(transaction: t, impactAtEnd: impact)
    }
  }

  /// Entry order: effective_at, created, id.
  private func entryOrder(_ a: Int, _ b: Int) -> Bool {
    let x = entries[a]
    let y = entries[b]
    if x.effectiveAt != y.effectiveAt { return x.effectiveAt < y.effectiveAt }
    if x.created != y.created { return x.created < y.created }
    return symbols.less(x.id, y.id)
  }

  /// Transaction order: the given instant, then created, then id.
  private func order(_ ta: Int64?, _ a: Int, _ tb: Int64?, _ b: Int) -> Bool {
    let x = ta ?? 0
    let y = tb ?? 0
    if x != y { return x < y }
    if transactions[a].created != transactions[b].created { return transactions[a].created < transactions[b].created }
    return symbols.less(transactions[a].id, transactions[b].id)
  }
}

extension TransactionRecord {
  /// The same record with its strings moved to another symbol table.
  func reinterned(from source: SymbolTable, into target: inout SymbolTable) -> TransactionRecord {
    func move(_ s: Symbol) -> Symbol { s.isNone ? .none : target.intern(source.string(s)) }
    var copy = self
    copy.id = move(id)
    copy.financialAccount = move(financialAccount)
    copy.currency = move(currency)
    copy.flow = move(flow)
    copy.flowType = move(flowType)
    copy.description = move(description)
    return copy
  }
}
