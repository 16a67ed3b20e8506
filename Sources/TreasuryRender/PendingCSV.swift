import TreasuryLedger
@_spi(Inlining) import TreasuryModel

/// `pending.csv`: transactions open at the period's end, never part of the totals.
///
/// Everything is as of the period's end: `impact_cash`, `impact_inbound_pending`
/// and `impact_outbound_pending` are what the transaction's entries had moved
/// by then (since it was created, not only in the period), so a closed
/// period's file never changes when later data arrives; what became of a
/// transaction shows in later statements.
package enum PendingCSV {
  package static let header = [
    "created", "id", "flow_type", "flow", "description", "amount", "impact_cash", "impact_inbound_pending",
    "impact_outbound_pending",
  ]

  /// The header of files written before the impact columns were named so, which `verify` still reads.
  package static let headerBeforeImpactNames = header.map { $0.hasPrefix("impact_") ? String($0.dropFirst(7)) : $0 }

  package static func render(
    _ statement: Statement, symbols: SymbolTable, time: LocalTimeFormatter, to target: RenderTarget
  ) throws(RenderError) -> Int {
    let digits = Money.minorDigits(currency: statement.key.currency)
    var csv = CSVWriter(target: target, header: header)
    for line in statement.pendingLines {
      let t = line.transaction
      csv.time(t.created, time)
      csv.transactionCells(t, symbols: symbols, digits: digits)
      csv.amount(line.impactAtEnd.cash, digits: digits)
      csv.amount(line.impactAtEnd.inboundPending, digits: digits)
      csv.amount(line.impactAtEnd.outboundPending, digits: digits)
      csv.endRow()
      try csv.flushIfFull()
    }
    try csv.flush()
    return csv.rows
  }
}
