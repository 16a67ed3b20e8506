/// The checks domain.md asks for beyond the statement identity.
///
/// - the entries of a transaction add up to its `balance_impact`, and for a
///   posted one their total equals its `amount`;
/// - every entry's transaction is in the dump, and every transaction has entries;
/// - a financial_account's reported `balance` equals the sum of all its entries.
public enum CrossChecks {
  public static func run(
    _ ledger: AccountLedger, symbols: SymbolTable, reportedBalances: Set<[String: SubBalances]>?
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
    var sums: [Symbol: SubBalances] = [:]
    var total = SubBalances.zero
    for entry in ledger.entries {
      // Both bounded by Money.balanceLimit: the statement builder already
      // summed these entries without overflow.
      sums[entry.transaction] = sums[entry.transaction, default: .zero].adding(entry.impact) ?? .zero
      total = total.adding(entry.impact) ?? total
    }
    var known = Set<Symbol>()
    for t in ledger.transactions.sorted(by: { symbols.less($0.id, $1.id) }) {
      known.insert(t.id)
      let id = symbols.string(t.id)
      guard let sum = sums[t.id] else {
        failures.append(
          failure(.transactionHasEntries, id, "the dump holds no entries for this \(t.status.name) transaction"))
        continue
      }
      if sum != t.impact {
        failures.append(
          failure(
            .entriesMatchImpact, id, "entries add up to \(describe(sum)); balance_impact says \(describe(t.impact))"))
      }
      if t.status == .posted && sum.booked != t.amount {
        failures.append(
          failure(
            .entriesMatchAmount, id,
            "entries move the booked balance by \(money(sum.booked)); amount says \(money(t.amount))"))
      }
    }
    var missing = Set<Symbol>()
    for entry in ledger.entries where !known.contains(entry.transaction) && missing.insert(entry.transaction).inserted {
      failures.append(
        failure(
          .entryHasTransaction, symbols.string(entry.id),
          "names transaction \(symbols.string(entry.transaction)), which is not in the dump for this account"))
    }
    if let reported = reportedBalances, !reported.isEmpty {
      let values = reported.compactMap { $0[currency] }
      if !values.isEmpty && !values.contains(total) {
        let shown = values.map(describe).sorted().joined(separator: "; or ")
        failures.append(
          failure(
            .reportedBalance, fa, "entries add up to \(describe(total)); the financial_account object reports \(shown)")
        )
      }
    }
    return failures
  }
}
