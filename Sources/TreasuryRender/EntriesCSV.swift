import TreasuryLedger
@_spi(Inlining) import TreasuryModel

/// `entries.csv`: the entries effective in the period, with the sub-balances after each.
package enum EntriesCSV {
  package static let header = [
    "effective_at", "created", "id", "transaction", "type", "flow_type", "flow", "cash",
    "inbound_pending", "outbound_pending", "running_cash", "running_inbound_pending",
    "running_outbound_pending", "running_booked_balance",
  ]

  package static func render(
    _ statement: Statement, symbols: SymbolTable, time: LocalTimeFormatter, to target: RenderTarget
  ) throws(RenderError) -> Int {
    let digits = Money.minorDigits(currency: statement.key.currency)
    var csv = CSVWriter(target: target, header: header)
    for line in statement.entryLines {
      let e = line.entry
      csv.time(e.effectiveAt, time)
      csv.time(e.created, time)
      csv.text(e.id, in: symbols)
      csv.text(e.transaction, in: symbols)
      csv.text(e.type, in: symbols)
      csv.text(e.flowType, in: symbols)
      csv.text(e.flow, in: symbols)
      csv.amount(e.impact.cash, digits: digits)
      csv.amount(e.impact.inboundPending, digits: digits)
      csv.amount(e.impact.outboundPending, digits: digits)
      csv.amount(line.running.cash, digits: digits)
      csv.amount(line.running.inboundPending, digits: digits)
      csv.amount(line.running.outboundPending, digits: digits)
      csv.amount(line.running.booked, digits: digits)
      csv.endRow()
      try csv.flushIfFull()
    }
    try csv.flush()
    return csv.rows
  }
}
