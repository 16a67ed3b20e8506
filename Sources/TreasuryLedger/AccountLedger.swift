@_spi(Inlining) import TreasuryModel

/// The deduplicated entries and transactions of one financial account in one currency.
package struct AccountLedger: Sendable {
  package var financialAccount: Symbol
  package var currency: Symbol
  /// In the order they were read; statement lines sort what they show.
  package var entries: [EntryRecord]
  package var transactions: [TransactionRecord]

  /// The first place any of its entries or transactions was read (file order, then line).
  package var firstSeen: SourceLocation {
    let entry = entries.lazy.map(\.source).min()
    let transaction = transactions.lazy.map(\.source).min()
    return [entry, transaction].compactMap { $0 }.min() ?? SourceLocation(file: 0, line: 0)
  }

  /// The earliest instant with any entry or transaction; statements start at the period holding it.
  package var firstActivity: Int64 {
    min(entries.lazy.map(\.effectiveAt).min() ?? .max, transactions.lazy.map(\.created).min() ?? .max)
  }
}

extension LedgerStore {
  /// Splits the store into one ledger per (financial account, currency), sorted by their names.
  package func ledgers() -> [AccountLedger] {
    // Most units hold one account in one currency: share the arrays, copy nothing.
    let first =
      entries.first.map { ($0.financialAccount, $0.currency) }
      ?? transactions.first.map { ($0.financialAccount, $0.currency) }
    if let (account, currency) = first,
      entries.allSatisfy({ $0.financialAccount == account && $0.currency == currency }),
      transactions.allSatisfy({ $0.financialAccount == account && $0.currency == currency })
    {
      return [
        AccountLedger(financialAccount: account, currency: currency, entries: entries, transactions: transactions)
      ]
    }
    var result: [AccountLedger] = []
    // Records of one account arrive together, so remembering the last key
    // avoids a dictionary lookup for nearly every record.
    var index: [UInt64: Int] = [:]
    var lastKey = UInt64.max
    var last = -1
    func slot(_ fa: Symbol, _ currency: Symbol) -> Int {
      let key = UInt64(UInt32(bitPattern: fa.index)) << 32 | UInt64(UInt32(bitPattern: currency.index))
      if key == lastKey { return last }
      lastKey = key
      if let found = index[key] {
        last = found
      } else {
        last = result.count
        index[key] = last
        result.append(AccountLedger(financialAccount: fa, currency: currency, entries: [], transactions: []))
      }
      return last
    }
    for entry in entries { result[slot(entry.financialAccount, entry.currency)].entries.append(entry) }
    for transaction in transactions {
      result[slot(transaction.financialAccount, transaction.currency)].transactions.append(transaction)
    }
    let symbols = self.symbols
    result.sort { a, b in
      if a.financialAccount != b.financialAccount { return symbols.less(a.financialAccount, b.financialAccount) }
      return symbols.less(a.currency, b.currency)
    }
    return result
  }
}
