import TreasuryLedger
@_spi(Inlining) import TreasuryModel

/// `summary.csv`: one row per statement, in the column order users and scripts rely on.
package enum SummaryCSV {
  package static let header = [
    "financial_account", "account", "currency", "period_start", "period_end", "opening_cash",
    "opening_inbound_pending", "opening_outbound_pending", "credits", "debits", "closing_cash",
    "closing_inbound_pending", "closing_outbound_pending", "posted_count", "void_count", "open_count",
    "reconciled",
  ]

  /// Writes the rows (already in order) and returns how many there were.
  package static func render(_ statements: [Statement], time: LocalTimeFormatter, to target: RenderTarget)
    throws(RenderError) -> Int
  {
    var csv = CSVWriter(target: target, header: header)
    for s in statements {
      let digits = Money.minorDigits(currency: s.key.currency)
      csv.text(s.key.financialAccount)
      csv.text(s.account)
      csv.text(s.key.currency)
      csv.time(s.key.period.start, time)
      csv.time(s.key.period.end, time)
      csv.amount(s.opening.cash, digits: digits)
      csv.amount(s.opening.inboundPending, digits: digits)
      csv.amount(s.opening.outboundPending, digits: digits)
      csv.amount(s.credits, digits: digits)
      csv.amount(s.debits, digits: digits)
      csv.amount(s.closing.cash, digits: digits)
      csv.amount(s.closing.inboundPending, digits: digits)
      csv.amount(s.closing.outboundPending, digits: digits)
      csv.integer(s.postedCount)
      csv.integer(s.voidCount)
      csv.integer(s.openCount)
      csv.text(s.isReconciled ? "true" : "false")
      csv.endRow()
      try csv.flushIfFull()
    }
    try csv.flush()
    return csv.rows
  }
}
