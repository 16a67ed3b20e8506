import TreasuryLedger
@_spi(Inlining) import TreasuryModel

/// `transactions.csv`: the booked lines of one statement, in order, with the running booked balance.
///
/// `impact_cash`, `impact_inbound_pending` and `impact_outbound_pending` are
/// the transaction's whole `balance_impact` (the sum of all its entries,
/// whenever they took effect), not what it moved in the period: an outbound
/// payment created in February and posted in March shows cash −10.00 here,
/// though its cash left in February. Their sums match no balance of the
/// statement; `amount` and `running_booked_balance` do.
package enum TransactionsCSV {
  package static let header = [
    "posted_at", "created", "id", "flow_type", "flow", "description", "amount", "impact_cash",
    "impact_inbound_pending", "impact_outbound_pending", "running_booked_balance",
  ]

  /// The header of files written before the impact columns were named so, which `verify` still reads.
  package static let headerBeforeImpactNames = header.map { $0.hasPrefix("impact_") ? String($0.dropFirst(7)) : $0 }

  package static func render(
    _ statement: Statement, symbols: SymbolTable, time: LocalTimeFormatter, to target: RenderTarget
  ) throws(RenderError) -> Int {
    let digits = Money.minorDigits(currency: statement.key.currency)
    var csv = CSVWriter(target: target, header: header)
    for line in statement.bookedLines {
      let t = line.transaction
      csv.time(t.postedAt ?? t.created, time)
      csv.time(t.created, time)
      csv.transactionCells(t, symbols: symbols, digits: digits)
      csv.amount(t.impact.cash, digits: digits)
      csv.amount(t.impact.inboundPending, digits: digits)
      csv.amount(t.impact.outboundPending, digits: digits)
      csv.amount(line.runningBooked, digits: digits)
      csv.endRow()
      try csv.flushIfFull()
    }
    try csv.flush()
    return csv.rows
  }
}
