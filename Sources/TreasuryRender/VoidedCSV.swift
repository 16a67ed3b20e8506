import TreasuryLedger
@_spi(Inlining) import TreasuryModel

/// `voided.csv` (with `--list-voided`): transactions voided in the period; they never moved the booked balance.
package enum VoidedCSV {
  package static let header = ["void_at", "created", "id", "flow_type", "flow", "description", "amount"]

  package static func render(
    _ statement: Statement, symbols: SymbolTable, time: LocalTimeFormatter, to target: RenderTarget
  ) throws(RenderError) -> Int {
    let digits = Money.minorDigits(currency: statement.key.currency)
    var csv = CSVWriter(target: target, header: header)
    for t in statement.voidedLines {
      csv.time(t.voidAt ?? t.created, time)
      csv.time(t.created, time)
      csv.transactionCells(t, symbols: symbols, digits: digits)
      csv.endRow()
      try csv.flushIfFull()
    }
    try csv.flush()
    return csv.rows
  }
}
