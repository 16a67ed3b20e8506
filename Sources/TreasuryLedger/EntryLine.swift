@_spi(Inlining) import TreasuryModel

/// An entry effective in the period, with the sub-balances after it.
package struct EntryLine: Sendable {
  package var entry: EntryRecord
  package var running: SubBalances
}
