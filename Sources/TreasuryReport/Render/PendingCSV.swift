/// `pending.csv`: transactions open at the period's end, never part of the totals.
///
/// The impacts are what the transaction's entries had moved by the period's
/// end; `status_now` and `resolved_at` say what became of it later in the dump.
public enum PendingCSV {
  public static let header = [
    "created", "id", "flow_type", "flow", "description", "amount", "cash", "inbound_pending",
    "outbound_pending", "status_now", "resolved_at",
  ]

  public static func render(
    _ statement: Statement, symbols: SymbolTable, time: LocalTimeFormatter, to target: RenderTarget
  ) throws -> Int {
    let digits = Money.minorDigits(currency: statement.key.currency)
    var csv = CSVWriter(target: target, header: header)
    for line in statement.pendingLines {
      let t = line.transaction
      csv.time(t.created, time)
      csv.transactionCells(t, symbols: symbols, digits: digits)
      csv.amount(line.impactAtEnd.cash, digits: digits)
      csv.amount(line.impactAtEnd.inboundPending, digits: digits)
      csv.amount(line.impactAtEnd.outboundPending, digits: digits)
      csv.text(t.status.name)
      if let at = t.resolvedAt { csv.time(at, time) } else { csv.empty() }
      csv.endRow()
      try csv.flushIfFull()
    }
    try csv.flush()
    return csv.rows
  }
}
