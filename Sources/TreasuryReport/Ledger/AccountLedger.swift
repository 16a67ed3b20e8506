/// The deduplicated entries and transactions of one financial account in one currency, in statement order.
public struct AccountLedger: Sendable {
  public var financialAccount: Symbol
  public var currency: Symbol
  /// Sorted by (effective_at, created, id).
  public var entries: [EntryRecord]
  /// Every transaction of the account in this currency, unsorted.
  public var transactions: [TransactionRecord]

  /// The earliest instant with any entry or transaction; statements start at the period holding it.
  public var firstActivity: Int64 {
    min(entries.first?.effectiveAt ?? .max, transactions.lazy.map(\.created).min() ?? .max)
  }
}

extension LedgerStore {
  /// Splits the store into one ledger per (financial account, currency), sorted by their names.
  public func ledgers() -> [AccountLedger] {
    struct Key: Hashable {
      var financialAccount: Symbol
      var currency: Symbol
    }
    var groups: [Key: AccountLedger] = [:]
    for entry in entries {
      let key = Key(financialAccount: entry.financialAccount, currency: entry.currency)
      groups[
        key,
        default: AccountLedger(
          financialAccount: key.financialAccount, currency: key.currency, entries: [], transactions: [])
      ]
      .entries.append(entry)
    }
    for transaction in transactions {
      let key = Key(financialAccount: transaction.financialAccount, currency: transaction.currency)
      groups[
        key,
        default: AccountLedger(
          financialAccount: key.financialAccount, currency: key.currency, entries: [], transactions: [])
      ]
      .transactions.append(transaction)
    }
    let symbols = self.symbols
    var result = Array(groups.values)
    for i in result.indices {
      result[i].entries.sort { a, b in
        if a.effectiveAt != b.effectiveAt { return a.effectiveAt < b.effectiveAt }
        if a.created != b.created { return a.created < b.created }
        return symbols.less(a.id, b.id)
      }
    }
    result.sort { a, b in
      if a.financialAccount != b.financialAccount { return symbols.less(a.financialAccount, b.financialAccount) }
      return symbols.less(a.currency, b.currency)
    }
    return result
  }
}
