/// The checks domain.md asks for beyond the statement identity.
///
/// - the entries of a transaction add up to its `balance_impact`, and for a
///   posted one their total equals its `amount`;
/// - every entry's transaction is in the dump, and every transaction has entries;
/// - a financial_account's reported `balance` equals the sum of all its entries.
public enum CrossChecks {
  public static func run(
    _ ledger: AccountLedger, symbols: SymbolTable, reportedBalances: ReportedBalances
  ) -> [CheckFailure] {
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
    // Per transaction symbol: the sum of its entries, and whether it has any.
    // Arrays indexed by symbol: a ledger's symbols are dense and few.
    var sums = [SubBalances](repeating: .zero, count: symbols.count)
    var hasEntries = [Bool](repeating: false, count: symbols.count)
    var isTransaction = [Bool](repeating: false, count: symbols.count)
    var total = SubBalances.zero
    for entry in ledger.entries {
      let t = Int(entry.transaction.index)
      // Bounded by Money.balanceLimit: the statement builder already summed these entries without overflow.
      sums[t] = sums[t].adding(entry.impact) ?? sums[t]
      hasEntries[t] = true
      total = total.adding(entry.impact) ?? total
    }
    for t in ledger.transactions {
      isTransaction[Int(t.id.index)] = true
      let sum = sums[Int(t.id.index)]
      guard hasEntries[Int(t.id.index)] else {
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
    var reported = [Bool](repeating: false, count: symbols.count)
    for entry in ledger.entries where !isTransaction[Int(entry.transaction.index)] {
      guard !reported[Int(entry.transaction.index)] else { continue }
      reported[Int(entry.transaction.index)] = true
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
