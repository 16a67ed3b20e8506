/// `transactions.<profile>.csv`: a statement's booked lines in a `CSVProfile`'s layout (pending lines never).
///
/// Cells follow the profile's dialect and the rules of `CSVWriter`: a cell is
/// quoted when it holds the delimiter, a quote, CR or LF; a text cell that a
/// spreadsheet would run as a formula (starting with `= + - @`, tab or CR)
/// gets a leading `'`. So the `default` profile writes transactions.csv byte
/// for byte.
public struct ProfileCSV: Sendable {
  public let profile: CSVProfile
  private let style: AmountStyle

  public init(profile: CSVProfile) {
    self.profile = profile
    style = AmountStyle(
      decimalMark: profile.decimalMark, thousandsSeparator: profile.thousandsSeparator, negative: profile.negative)
  }

  /// The file name stem: `transactions.<profile>`.
  public var fileStem: String { "transactions." + profile.name }

  /// Writes the file; returns the number of data rows (booked lines).
  public func render(
    _ statement: Statement, symbols: SymbolTable, time: LocalTimeFormatter, to target: RenderTarget
  ) throws -> Int {
    let digits = Money.minorDigits(currency: statement.key.currency)
    let currency = statement.key.currency.uppercased()
    let flushAt = 1 << 18
    let out = ByteBuffer(capacity: flushAt + 4096)
    let cell = ByteBuffer(capacity: 256)
    let scratch = ByteBuffer(capacity: 64)
    let newline = profile.lineEnding.bytes
    var rows = 0

    func put(_ isText: Bool, first: Bool) {
      if !first { out.append(profile.delimiter) }
      emit(cell.bytes, isText: isText, to: out)
      cell.removeAll()
    }
    func endRow() { newline.withUnsafeBytes { out.append($0) } }

    if profile.byteOrderMark { Self.bom.withUnsafeBytes { out.append($0) } }
    if profile.header {
      for (i, column) in profile.columns.enumerated() {
        var header = column.header
        header.withUTF8 { cell.append(UnsafeRawBufferPointer($0)) }
        put(true, first: i == 0)
      }
      endRow()
    }
    for line in statement.bookedLines {
      let t = line.transaction
      for (i, column) in profile.columns.enumerated() {
        var isText = false
        switch column.value {
        case .postedAt: time.append(t.postedAt ?? t.created, to: cell)
        case .postedDate: profile.dateFormat.append(time.localDate(t.postedAt ?? t.created), to: cell)
        case .created: time.append(t.created, to: cell)
        case .createdDate: profile.dateFormat.append(time.localDate(t.created), to: cell)
        case .id:
          symbols.withBytes(t.id) { cell.append($0) }
          isText = true
        case .flowType:
          symbols.withBytes(t.flowType) { cell.append($0) }
          isText = true
        case .flow:
          symbols.withBytes(t.flow) { cell.append($0) }
          isText = true
        case .description:
          symbols.withBytes(t.description) { cell.append($0) }
          isText = true
        case .amount: style.append(t.amount, digits: digits, to: cell, scratch: scratch)
        case .credit:
          if Statement.isCredit(t.amount) { style.append(t.amount, digits: digits, to: cell, scratch: scratch) }
        case .debit:
          if !Statement.isCredit(t.amount) { style.append(-t.amount, digits: digits, to: cell, scratch: scratch) }
        case .cash: style.append(t.impact.cash, digits: digits, to: cell, scratch: scratch)
        case .inboundPending: style.append(t.impact.inboundPending, digits: digits, to: cell, scratch: scratch)
        case .outboundPending: style.append(t.impact.outboundPending, digits: digits, to: cell, scratch: scratch)
        case .runningBookedBalance: style.append(line.runningBooked, digits: digits, to: cell, scratch: scratch)
        case .currency:
          var code = currency
          code.withUTF8 { cell.append(UnsafeRawBufferPointer($0)) }
        case .financialAccount:
          var id = statement.key.financialAccount
          id.withUTF8 { cell.append(UnsafeRawBufferPointer($0)) }
          isText = true
        case .account:
          var id = statement.account
          id.withUTF8 { cell.append(UnsafeRawBufferPointer($0)) }
          isText = true
        case .empty: break
        }
        put(isText, first: i == 0)
      }
      endRow()
      rows += 1
      if out.count >= flushAt {
        try target.write(out.bytes)
        out.removeAll()
      }
    }
    if out.count > 0 { try target.write(out.bytes) }
    return rows
  }

  /// U+FEFF in UTF-8, which tells Excel the file is UTF-8.
  private static let bom: [UInt8] = [0xEF, 0xBB, 0xBF]

  /// Writes one cell: quoted if it holds the delimiter, a quote, CR or LF; text guarded against formulas.
  private func emit(_ bytes: UnsafeRawBufferPointer, isText: Bool, to out: ByteBuffer) {
    let delimiter = profile.delimiter
    var quoted = false
    var quotes = 0
    for c in bytes {
      if c == UInt8(ascii: "\"") {
        quotes += 1
        quoted = true
      } else if c == delimiter || c == 0x0A || c == 0x0D {
        quoted = true
      }
    }
    let guarded: Bool
    if isText, let first = bytes.first {
      guarded =
        first == UInt8(ascii: "=") || first == UInt8(ascii: "+") || first == UInt8(ascii: "-")
        || first == UInt8(ascii: "@") || first == 0x09 || first == 0x0D
    } else {
      guarded = false
    }
    if quoted { out.append(UInt8(ascii: "\"")) }
    if guarded { out.append(UInt8(ascii: "'")) }
    if quotes == 0 {
      out.append(bytes)
    } else {
      for c in bytes {
        if c == UInt8(ascii: "\"") { out.append(c) }
        out.append(c)
      }
    }
    if quoted { out.append(UInt8(ascii: "\"")) }
  }
}
