import TreasuryLedger
@_spi(Inlining) import TreasuryModel

/// `summary.csv`: one row per statement, in the column order users and scripts rely on.
///
/// `period` is the period's label (`2026-03`, `2026-W11`, the folder's name);
/// each balance comes as booked (cash + inbound_pending + outbound_pending)
/// and available (cash) before its three sub-balances, so that a reader finds
/// opening booked + credits − debits = closing booked left to right.
package enum SummaryCSV {
  package static let header = [
    "financial_account", "account", "currency", "period", "period_start", "period_end", "opening_booked",
    "opening_available", "opening_cash", "opening_inbound_pending", "opening_outbound_pending", "credits", "debits",
    "closing_booked", "closing_available", "closing_cash", "closing_inbound_pending", "closing_outbound_pending",
    "posted_count", "void_count", "open_count", "reconciled",
  ]

  /// The header of files written before `period` and the booked and available columns, which `verify` still
  /// reads (archives outlive versions).
  package static let headerWithoutTotals = header.filter {
    !["period", "opening_booked", "opening_available", "closing_booked", "closing_available"].contains($0)
  }

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
      csv.text(s.key.period.label)
      csv.time(s.key.period.start, time)
      csv.time(s.key.period.end, time)
      csv.amount(s.opening.booked, digits: digits)
      csv.amount(s.opening.available, digits: digits)
      csv.amount(s.opening.cash, digits: digits)
      csv.amount(s.opening.inboundPending, digits: digits)
      csv.amount(s.opening.outboundPending, digits: digits)
      csv.amount(s.credits, digits: digits)
      csv.amount(s.debits, digits: digits)
      csv.amount(s.closing.booked, digits: digits)
      csv.amount(s.closing.available, digits: digits)
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
