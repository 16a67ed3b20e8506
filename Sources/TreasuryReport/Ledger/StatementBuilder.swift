/// Computes a ledger's statements for a list of periods in one sweep over its sorted entries and transactions.
public struct StatementBuilder {
  /// Whether statements carry their lines (CSV files need them; the summary does not).
  public var includeLines: Bool

  public init(includeLines: Bool) {
    self.includeLines = includeLines
  }

  /// Emits a statement for each period (sorted, not overlapping) that ends after the ledger's first activity.
  ///
  /// Returns the ledger's tail: its state after all activity.
  public func build(
    _ ledger: AccountLedger, periods: [Period], symbols: SymbolTable, account: String,
    header: FinancialAccountInfo?, emit: (Statement) throws -> Void
  ) throws -> LedgerTail {
    let faName = symbols.string(ledger.financialAccount)
    let currencyName = symbols.string(ledger.currency)
    let overflow = { (period: Period) in
      LedgerError.overflow(financialAccount: faName, currency: currencyName, period: period.label)
    }
    let entries = ledger.entries
    let transactions = ledger.transactions
    // (instant, index) pairs in statement order; the decoder guarantees a
    // posted transaction has posted_at and a void one void_at.
    let byPosting = timeline(transactions, symbols) { $0.status == .posted ? $0.postedAt : nil }
    let byVoiding = timeline(transactions, symbols) { $0.status == .void ? $0.voidAt : nil }
    let byCreation = timeline(transactions, symbols) { $0.created }
    let byResolution = timeline(transactions, symbols) { $0.resolvedAt }
    // Entries per transaction, for what a pending transaction had moved by a period's end.
    var entriesOf: [Symbol: [Int]] = [:]
    if includeLines {
      for (i, entry) in entries.enumerated() { entriesOf[entry.transaction, default: []].append(i) }
    }

    let first = ledger.firstActivity
    var balance = SubBalances.zero
    var entryIndex = 0
    var postingIndex = 0
    var voidingIndex = 0
    var creationIndex = 0
    var resolutionIndex = 0
    var open = Set<Int>()

    for period in periods where period.end > first {
      // Opening: every entry effective before the start.
      while entryIndex < entries.count && entries[entryIndex].effectiveAt < period.start {
        guard let next = balance.adding(entries[entryIndex].impact) else { throw overflow(period) }
        balance = next
        entryIndex += 1
      }
      var statement = Statement(
        key: StatementKey(financialAccount: faName, currency: currencyName, period: period),
        account: account, header: header, opening: balance, closing: balance, credits: 0,
        debits: 0, postedCount: 0, voidCount: 0, openCount: 0)
      while entryIndex < entries.count && entries[entryIndex].effectiveAt < period.end {
        guard let next = balance.adding(entries[entryIndex].impact) else { throw overflow(period) }
        balance = next
        if includeLines { statement.entryLines.append(EntryLine(entry: entries[entryIndex], running: balance)) }
        entryIndex += 1
      }
      statement.closing = balance

      // Booked lines: posted in the period, running from the opening booked balance.
      while postingIndex < byPosting.count && byPosting[postingIndex].at < period.start { postingIndex += 1 }
      var running = statement.opening.booked
      while postingIndex < byPosting.count && byPosting[postingIndex].at < period.end {
        let t = transactions[byPosting[postingIndex].index]
        var failed = false
        if t.amount >= 0 {
          (statement.credits, failed) = statement.credits.addingReportingOverflow(t.amount)
        } else {
          (statement.debits, failed) = statement.debits.addingReportingOverflow(-t.amount)
        }
        running = running &+ t.amount
        guard !failed, Money.isBalance(running) else { throw overflow(period) }
        statement.postedCount += 1
        if includeLines { statement.bookedLines.append(BookedLine(transaction: t, runningBooked: running)) }
        postingIndex += 1
      }

      while voidingIndex < byVoiding.count && byVoiding[voidingIndex].at < period.start { voidingIndex += 1 }
      while voidingIndex < byVoiding.count && byVoiding[voidingIndex].at < period.end {
        statement.voidCount += 1
        if includeLines { statement.voidedLines.append(transactions[byVoiding[voidingIndex].index]) }
        voidingIndex += 1
      }

      // Open at the end: created before it, not posted or voided before it.
      while creationIndex < byCreation.count && byCreation[creationIndex].at < period.end {
        let i = byCreation[creationIndex].index
        if (transactions[i].resolvedAt ?? .max) >= period.end { open.insert(i) }
        creationIndex += 1
      }
      while resolutionIndex < byResolution.count && byResolution[resolutionIndex].at < period.end {
        open.remove(byResolution[resolutionIndex].index)
        resolutionIndex += 1
      }
      statement.openCount = open.count
      if includeLines {
        statement.pendingLines = pendingLines(
          open, transactions: transactions, entries: entries, entriesOf: entriesOf, before: period.end, symbols: symbols
        )
      }
      try emit(statement)
    }

    // The tail: everything, including what lies after the last period.
    while entryIndex < entries.count {
      guard let next = balance.adding(entries[entryIndex].impact) else {
        throw LedgerError.overflow(financialAccount: faName, currency: currencyName, period: "after the last period")
      }
      balance = next
      entryIndex += 1
    }
    let stillOpen = Set(transactions.indices.filter { transactions[$0].resolvedAt == nil })
    var tailSymbols = SymbolTable(capacity: 16)
    let pending =
      !includeLines
      ? []
      : pendingLines(
        stillOpen, transactions: transactions, entries: entries, entriesOf: entriesOf, before: .max, symbols: symbols
      ).map { line in
        PendingLine(
          transaction: line.transaction.reinterned(from: symbols, into: &tailSymbols), impactAtEnd: line.impactAtEnd)
      }
    return LedgerTail(
      financialAccount: faName, currency: currencyName, account: account, header: header, closing: balance,
      openCount: stillOpen.count, pending: includeLines ? pending : [], symbols: tailSymbols)
  }

  private func pendingLines(
    _ open: Set<Int>, transactions: [TransactionRecord], entries: [EntryRecord], entriesOf: [Symbol: [Int]],
    before end: Int64, symbols: SymbolTable
  ) -> [PendingLine] {
    open.sorted {
      order(transactions[$0], transactions[$0].created, transactions[$1], transactions[$1].created, symbols)
    }
    .map { i in
      let t = transactions[i]
      var impact = SubBalances.zero
      for e in entriesOf[t.id] ?? [] where entries[e].effectiveAt < end {
        // Bounded: one transaction's entries, each within Money.limit.
        impact = impact.adding(entries[e].impact) ?? impact
      }
      return PendingLine(transaction: t, impactAtEnd: impact)
    }
  }

  /// The transactions that have an instant of one kind, as (instant, index) in statement order.
  private func timeline(
    _ transactions: [TransactionRecord], _ symbols: SymbolTable, _ instant: (TransactionRecord) -> Int64?
  ) -> [(at: Int64, index: Int)] {
    var result: [(at: Int64, index: Int)] = []
    for (i, t) in transactions.enumerated() {
      if let at = instant(t) { result.append((at, i)) }
    }
    result.sort { a, b in order(transactions[a.index], a.at, transactions[b.index], b.at, symbols) }
    return result
  }

  /// Statement order: by the given time, then created, then id.
  private func order(
    _ a: TransactionRecord, _ ta: Int64, _ b: TransactionRecord, _ tb: Int64, _ symbols: SymbolTable
  ) -> Bool {
    if ta != tb { return ta < tb }
    if a.created != b.created { return a.created < b.created }
    return symbols.less(a.id, b.id)
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
