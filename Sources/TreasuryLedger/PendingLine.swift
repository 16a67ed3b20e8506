@_spi(Inlining) import TreasuryModel

/// A transaction open at the period's end, with what its entries had moved by then.
package struct PendingLine: Sendable {
  package var transaction: TransactionRecord
  package var impactAtEnd: SubBalances
}
