@_spi(Inlining) import TreasuryModel

/// A transaction posted in the period, with the booked balance after it.
package struct BookedLine: Sendable {
  package var transaction: TransactionRecord
  package var runningBooked: Int64
}
