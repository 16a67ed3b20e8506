@_spi(Inlining) import TreasuryModel

/// A ledger's state after its last activity: what every later, quiet period's statement shows.
///
/// Kept (with its own small symbol table) when periods are derived from the
/// data, because a later unit of input may extend the run past this ledger's
/// last activity; every financial account then gets those periods too.
package struct LedgerTail: Sendable {
  package var financialAccount: String
  package var currency: String
  package var account: String
  package var header: FinancialAccountInfo?
  package var closing: SubBalances
  /// The ledger's earliest activity: a later period gets a statement only if it ends after this.
  package var firstActivity: Int64
  /// How many transactions are still open after everything in the dump.
  package var openCount: Int
  /// Those transactions (only when statements carry lines).
  package var pending: [PendingLine]
  package var symbols: SymbolTable

  /// The statement of a period after the ledger's last activity: nothing moves.
  package func statement(for period: Period, includeLines: Bool) -> Statement {
    Statement(
      key: StatementKey(financialAccount: financialAccount, currency: currency, period: period),
      account: account, header: header, opening: closing, closing: closing, credits: 0, debits: 0,
      postedCount: 0, voidCount: 0, openCount: openCount,
      pendingLines: includeLines ? pending : [])
  }
}
