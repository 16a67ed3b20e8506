@_spi(Inlining) import TreasuryModel

/// Which kind of object an id names: ids are unique within a kind.
package enum IdKind: UInt32, Sendable {
  case transaction = 0
  case entry = 1
}

/// Where a store notes every transaction and entry copy it reads, so that copies of one id under two financial
/// accounts are found run-wide (the partition layer's `IdIndex` records them in files; the ledger does no I/O).
package protocol IdSightings: Sendable {
  /// Notes one copy of an id; `symbols` is the table `id` and `account` belong to.
  mutating func note(_ kind: IdKind, id: Symbol, account: Symbol, file: Int32, symbols: SymbolTable)
  /// The store's symbol table was emptied: symbols name other strings from now on.
  mutating func forgetSymbols()
  /// Hands everything noted to the index; nothing is noted after it.
  mutating func finish()
}
