import TreasuryLedger
@_spi(Inlining) import TreasuryModel

/// `transactions.csv`: the booked lines of one statement, in order, with the running booked balance.
package enum TransactionsCSV {
  package static let header = [
    "posted_at", "created", "id", "flow_type", "flow", "description", "amount", "cash",
    "inbound_pending", "outbound_pending", "running_booked_balance",
  ]

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
