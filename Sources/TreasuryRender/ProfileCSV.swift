import TreasuryLedger
@_spi(Inlining) import TreasuryModel

/// `transactions.<profile>.csv`: a statement's booked lines in a `CSVProfile`'s layout (pending lines never).
///
/// The profile maps columns to values; `CSVWriter`, in the profile's dialect,
/// writes the cells by its rules: a cell is quoted when it holds the delimiter,
/// a quote, CR or LF; with the profile's `formula_guard`, a text cell that a
/// spreadsheet would run as a formula (starting with `= + - @`, tab or CR)
/// gets a leading `'`. So the `default` profile writes transactions.csv byte
/// for byte.
package struct ProfileCSV: Sendable {
  package let profile: CSVProfile
  private let style: AmountStyle

  package init(profile: CSVProfile) {
    self.profile = profile
    style = AmountStyle(
      decimalMark: profile.decimalMark, thousandsSeparator: profile.thousandsSeparator, negative: profile.negative)
  }

  /// The file name stem: `transactions.<profile>`.
  package var fileStem: String { "transactions." + profile.name }

  /// Writes the file; returns the number of data rows (booked lines).
  package func render(
    _ statement: Statement, symbols: SymbolTable, time: LocalTimeFormatter, to target: RenderTarget
  ) throws(RenderError) -> Int {
    let digits = Money.minorDigits(currency: statement.key.currency)
    let currency = Array(statement.key.currency.uppercased().utf8)
    var csv = CSVWriter(
      target: target, header: profile.header ? profile.columns.map(\.header) : nil, delimiter: profile.delimiter,
      crlf: profile.lineEnding == .crlf, byteOrderMark: profile.byteOrderMark, formulaGuard: profile.formulaGuard)
    // Dates and amounts are formatted here first: a date pattern may hold the delimiter.
    let cell = ByteBuffer(capacity: 256)
    let scratch = ByteBuffer(capacity: 64)
    func value(_ format: (ByteBuffer) -> Void) {
      format(cell)
      csv.value(cell.bytes)
      cell.removeAll()
    }
    func amount(_ minor: Int64) { value { style.append(minor, digits: digits, to: $0, scratch: scratch) } }

    for line in statement.bookedLines {
      let t = line.transaction
      for column in profile.columns {
        switch column.value {
        case .postedAt: value { time.append(t.postedAt ?? t.created, to: $0) }
        case .postedDate: value { profile.dateFormat.append(time.localDate(t.postedAt ?? t.created), to: $0) }
        case .created: value { time.append(t.created, to: $0) }
        case .createdDate: value { profile.dateFormat.append(time.localDate(t.created), to: $0) }
        case .id: csv.text(t.id, in: symbols)
        case .flowType: csv.text(t.flowType, in: symbols)
        case .flow: csv.text(t.flow, in: symbols)
        case .description: csv.text(t.description, in: symbols)
        case .amount: amount(t.amount)
        case .credit:
          value { if Statement.isCredit(t.amount) { style.append(t.amount, digits: digits, to: $0, scratch: scratch) } }
        case .debit:
          value {
            if !Statement.isCredit(t.amount) { style.append(-t.amount, digits: digits, to: $0, scratch: scratch) }
          }
        case .impactCash: amount(t.impact.cash)
        case .impactInboundPending: amount(t.impact.inboundPending)
        case .impactOutboundPending: amount(t.impact.outboundPending)
        case .runningBookedBalance: amount(line.runningBooked)
        case .currency: currency.withUnsafeBytes { csv.value($0) }
        case .financialAccount: csv.text(statement.key.financialAccount)
        case .account: csv.text(statement.account)
        case .empty: csv.empty()
        }
      }
      csv.endRow()
      try csv.flushIfFull()
    }
    try csv.flush()
    return csv.rows
  }
}
