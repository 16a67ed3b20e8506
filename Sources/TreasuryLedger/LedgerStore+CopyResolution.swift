@_spi(Inlining) import TreasuryModel

// How copies of one object are resolved (the rules `LedgerStore.add` applies): which copy a transaction keeps,
// which field values a financial or connected account keeps, and how a contradiction is described.

extension LedgerStore {
  /// The smaller of two optional values, nil only when both are: copies keep the smallest of each field, so the
  /// order of lines never matters.
  func smallest(_ a: String?, _ b: String?) -> String? {
    switch (a, b) {
    case (nil, _): return b
    case (_, nil): return a
    case (let x?, let y?): return min(x, y)
    }
  }

  /// The fixed rule between two same-state copies that differ: compare content, never arrival order.
  func preferred(_ a: TransactionRecord, over b: TransactionRecord) -> Bool {
    let ka = (a.amount, a.impact.cash, a.impact.inboundPending, a.impact.outboundPending, a.created)
    let kb = (b.amount, b.impact.cash, b.impact.inboundPending, b.impact.outboundPending, b.created)
    if ka != kb { return ka > kb }
    for (x, y) in [(a.description, b.description), (a.flow, b.flow), (a.flowType, b.flowType)] where x != y {
      return symbols.less(y, x)
    }
    return a.livemode && !b.livemode
  }

  /// Each field two copies of a transaction disagree on, with both values, in a fixed order.
  package static func conflictDetail(_ a: TransactionRecord, _ b: TransactionRecord, symbols: SymbolTable) -> String {
    var list = Differences(symbols: symbols)
    list.note("financial_account", a.financialAccount, b.financialAccount)
    list.note("currency", a.currency, b.currency)
    list.note("status", a.status.name, b.status.name)
    list.note("amount", a.amount, b.amount)
    list.note(a.impact, b.impact)
    list.note("created", a.created, b.created)
    list.note("posted_at", a.postedAt, b.postedAt)
    list.note("void_at", a.voidAt, b.voidAt)
    list.note("livemode", a.livemode, b.livemode)
    list.note("description", a.description, b.description)
    list.note("flow", a.flow, b.flow)
    list.note("flow_type", a.flowType, b.flowType)
    return list.text
  }

  /// Why two copies of an entry contradict each other: each field they disagree on, with both values, in a fixed
  /// order.
  package static func conflictDetail(_ a: EntryRecord, _ b: EntryRecord, symbols: SymbolTable) -> String {
    var list = Differences(symbols: symbols)
    list.note("transaction", a.transaction, b.transaction)
    list.note("financial_account", a.financialAccount, b.financialAccount)
    list.note("currency", a.currency, b.currency)
    list.note("type", a.type, b.type)
    list.note("flow", a.flow, b.flow)
    list.note("flow_type", a.flowType, b.flowType)
    list.note(a.impact, b.impact)
    list.note("created", a.created, b.created)
    list.note("effective_at", a.effectiveAt, b.effectiveAt)
    list.note("livemode", a.livemode, b.livemode)
    return "entries never change, but two copies differ: " + list.text
  }
}

/// "field a against b" for each field where two copies differ.
private struct Differences {
  let symbols: SymbolTable
  var parts: [String] = []

  mutating func note<Value: Equatable>(_ field: String, _ a: Value, _ b: Value) {
    guard a != b else { return }
    parts.append("\(field) \(show(a)) against \(show(b))")
  }

  mutating func note(_ a: SubBalances, _ b: SubBalances) {
    note("balance_impact.cash", a.cash, b.cash)
    note("balance_impact.inbound_pending", a.inboundPending, b.inboundPending)
    note("balance_impact.outbound_pending", a.outboundPending, b.outboundPending)
  }

  var text: String { parts.isEmpty ? "the copies differ in no field the tool reads" : parts.joined(separator: "; ") }

  private func show(_ value: some Equatable) -> String {
    switch value {
    case let symbol as Symbol: return symbol.isNone ? "null" : symbols.string(symbol)
    case let optional as Int64?: return optional.map(String.init) ?? "null"
    default: return "\(value)"
    }
  }
}
