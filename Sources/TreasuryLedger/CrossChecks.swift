@_spi(Inlining) import TreasuryModel

/// The checks domain.md asks for beyond the statement identity.
///
/// - the entries of a transaction add up to its `balance_impact`, and for a
///   posted one their total equals its `amount`;
/// - every entry's transaction is in the dump, and every transaction has entries;
/// - a financial_account's reported `balance` equals the sum of all its entries.
///
/// One value checks every ledger of a store in turn: its per-symbol scratch is
/// sized by the store's symbol table (the whole unit's or partition's, not the
/// ledger's), so it is allocated once and only the slots a ledger touched are
/// reset after it. The cost per ledger follows the ledger's size, even when one
/// big mixed file puts thousands of ledgers in one store.
package struct CrossChecks {
  /// Per transaction symbol: the sum of its entries and what the ledger said about it.
  private struct Mark {
    var sum = SubBalances.zero
    var hasEntries = false
    var isTransaction = false
    var reported = false
  }

  private var marks: [Mark] = []

  package init() {}

  package mutating func run(
    _ ledger: AccountLedger, symbols: SymbolTable, reportedBalances: ReportedBalances
  ) -> [CheckFailure] {
    if marks.count < symbols.count {
      marks.append(contentsOf: repeatElement(Mark(), count: symbols.count - marks.count))
    }
    defer {
      for entry in ledger.entries { marks[Int(entry.transaction.index)] = Mark() }
      for t in ledger.transactions { marks[Int(t.id.index)] = Mark() }
    }
    let fa = symbols.string(ledger.financialAccount)
    let currency = symbols.string(ledger.currency)
    let digits = Money.minorDigits(currency: currency)
    func money(_ v: Int64) -> String { DecimalAmount.string(v, digits: digits) }
    func describe(_ b: SubBalances) -> String {
      "cash \(money(b.cash)), inbound_pending \(money(b.inboundPending)), outbound_pending \(money(b.outboundPending))"
    }
    func failure(_ check: CheckFailure.Check, _ object: String, _ detail: String) -> CheckFailure {
      CheckFailure(check: check, financialAccount: fa, currency: currency, object: object, detail: detail)
    }

    var failures: [CheckFailure] = []
    var total = SubBalances.zero
    for entry in ledger.entries {
      let t = Int(entry.transaction.index)
      // Bounded by Money.balanceLimit: the statement builder already summed these entries without overflow.
      marks[t].sum = marks[t].sum.adding(entry.impact) ?? marks[t].sum
      marks[t].hasEntries = true
      total = total.adding(entry.impact) ?? total
    }
    for t in ledger.transactions {
      marks[Int(t.id.index)].isTransaction = true
      let sum = marks[Int(t.id.index)].sum
      guard marks[Int(t.id.index)].hasEntries else {
        failures.append(
          failure(
            .transactionHasEntries, symbols.string(t.id),
            "the dump holds no entries for this \(t.status.name) transaction"))
        continue
      }
      if sum != t.impact {
        failures.append(
          failure(
            .entriesMatchImpact, symbols.string(t.id),
            "entries add up to \(describe(sum)); balance_impact says \(describe(t.impact))"))
      }
      if t.status == .posted && sum.booked != t.amount {
        failures.append(
          failure(
            .entriesMatchAmount, symbols.string(t.id),
            "entries move the booked balance by \(money(sum.booked)); amount says \(money(t.amount))"))
      }
    }
    for entry in ledger.entries where !marks[Int(entry.transaction.index)].isTransaction {
      guard !marks[Int(entry.transaction.index)].reported else { continue }
      marks[Int(entry.transaction.index)].reported = true
      failures.append(
        failure(
          .entryHasTransaction, symbols.string(entry.id),
          "names transaction \(symbols.string(entry.transaction)), which is not in the dump for this account"))
    }
    // A fixed order whatever the order of lines: transactions by id (each one's
    // checks in declaration order), then entries by id.
    let order: [CheckFailure.Check: Int] = [
      .entriesMatchImpact: 0, .entriesMatchAmount: 1, .transactionHasEntries: 2, .entryHasTransaction: 3,
    ]
    failures.sort { a, b in
      let group = (order[a.check] ?? 4) == 3
      let otherGroup = (order[b.check] ?? 4) == 3
      if group != otherGroup { return !group }
      if a.object != b.object { return a.object < b.object }
      return (order[a.check] ?? 4) < (order[b.check] ?? 4)
    }
    // Each distinct reported value once, sorted: the text never depends on the order of copies.
    let values = reportedBalances.balances(of: fa, in: currency)
    if !values.isEmpty && !values.contains(total) {
      let shown = values.map(describe).sorted().joined(separator: "; or ")
      failures.append(
        failure(
          .reportedBalance, fa, "entries add up to \(describe(total)); the financial_account object reports \(shown)")
      )
    }
    return failures
  }
}
