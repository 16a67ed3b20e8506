import TreasuryLedger
@_spi(Inlining) import TreasuryModel
import TreasuryXML

/// The HTML statement's `lines` as `PageTemplate` sees them: each row's fields written straight into the page.
///
/// `HTMLStatement.context` gives swift-mustache a dictionary per booked line
/// (eleven boxed values, four formatted amounts); for `PageTemplate` the
/// context holds this instead, and a `{{field}}` inside `{{#lines}}` is
/// formatted into the output buffer when it is rendered. Anything a template
/// asks for beyond that (`{{.}}`, a field as a section's object) gets the
/// same values the dictionary holds (`dictionary(_:)`, `value(_:_:)`).
final class StatementLineRows {
  /// The names a line's dictionary holds.
  enum Field: String, CaseIterable, Sendable {
    case date, time, description, flowType, id, amount, credit, debit, negative, balance, negativeBalance
  }

  let lines: [BookedLine]
  private let symbols: SymbolTable
  private let time: LocalTimeFormatter
  private let style: AmountStyle
  private let digits: Int
  private let scratch = ByteBuffer(capacity: 64)
  private let amountScratch = ByteBuffer(capacity: 64)
  /// The local day of the last date written, and its ISO text.
  private var day = CivilDate(daysSinceEpoch: 0)
  private var dayISO = CivilDate(daysSinceEpoch: 0).iso

  init(_ lines: [BookedLine], symbols: SymbolTable, time: LocalTimeFormatter, style: AmountStyle, digits: Int) {
    self.lines = lines
    self.symbols = symbols
    self.time = time
    self.style = style
    self.digits = digits
  }

  var count: Int { lines.count }

  private func posted(_ row: Int) -> Int64 {
    let t = lines[row].transaction
    return t.postedAt ?? t.created
  }

  private func date(_ row: Int) -> String {
    let postedDay = time.localDate(posted(row))
    if postedDay != day {
      day = postedDay
      dayISO = day.iso
    }
    return dayISO
  }

  /// `HH:MM`: characters 11 to 15 of the local ISO time, as the dictionary has them.
  private func writeTime(_ row: Int, escaped: Bool, to out: ByteBuffer) {
    scratch.removeAll()
    time.append(posted(row), to: scratch)
    let bytes = scratch.bytes
    let start = min(11, bytes.count)
    let piece = UnsafeRawBufferPointer(rebasing: bytes[start..<min(start + 5, bytes.count)])
    if escaped {
      PageTemplate.escape(String(decoding: piece, as: UTF8.self), to: out)
    } else {
      out.append(piece)
    }
  }

  private func money(_ minor: Int64) -> String { style.string(minor, digits: digits) }

  /// Amounts hold digits, separators and a minus sign, which HTML escaping leaves as they are.
  private func writeMoney(_ minor: Int64, to out: ByteBuffer) {
    style.append(minor, digits: digits, to: out, scratch: amountScratch)
  }

  /// Writes `field` of `row` as `{{field}}` (escaped) or `{{{field}}}` renders it.
  func write(_ field: Field, _ row: Int, escaped: Bool, to out: ByteBuffer) {
    let line = lines[row]
    let t = line.transaction
    switch field {
    case .date: text(date(row), escaped, out)
    case .time: writeTime(row, escaped: escaped, to: out)
    case .description: cached(t.description, escaped, out)
    case .flowType: cached(t.flowType, escaped, out)
    case .id: text(XMLText.safe(symbols.string(t.id)), escaped, out)
    case .amount: writeMoney(t.amount, to: out)
    case .credit: if Statement.isCredit(t.amount) { writeMoney(t.amount, to: out) }
    case .debit: if !Statement.isCredit(t.amount) { writeMoney(-t.amount, to: out) }
    case .negative: text(t.amount < 0 ? "true" : "false", escaped, out)
    case .balance: writeMoney(line.runningBooked, to: out)
    case .negativeBalance: text(line.runningBooked < 0 ? "true" : "false", escaped, out)
    }
  }

  /// Descriptions and flow types repeat: each is made safe and escaped once (non-ASCII text is escaped a character
  /// at a time).
  private var escapedTexts: [Symbol: [UInt8]] = [:]
  private var plainTexts: [Symbol: [UInt8]] = [:]

  private func cached(_ symbol: Symbol, _ escaped: Bool, _ out: ByteBuffer) {
    if let known = escaped ? escapedTexts[symbol] : plainTexts[symbol] {
      known.withUnsafeBytes { out.append($0) }
      return
    }
    let piece = ByteBuffer(capacity: 256)
    text(XMLText.safe(symbols.string(symbol)), escaped, piece)
    let bytes = Array(piece.bytes)
    if escaped { escapedTexts[symbol] = bytes } else { plainTexts[symbol] = bytes }
    out.append(piece.bytes)
  }

  private func text(_ string: String, _ escaped: Bool, _ out: ByteBuffer) {
    if escaped { PageTemplate.escape(string, to: out) } else { PageTemplate.append(string, to: out) }
  }

  /// The value the line's dictionary holds for `field`.
  func value(_ field: Field, _ row: Int) -> Any {
    let line = lines[row]
    let t = line.transaction
    switch field {
    case .date: return date(row)
    case .time: return String(time.string(posted(row)).dropFirst(11).prefix(5))
    case .description: return XMLText.safe(symbols.string(t.description))
    case .flowType: return XMLText.safe(symbols.string(t.flowType))
    case .id: return XMLText.safe(symbols.string(t.id))
    case .amount: return money(t.amount)
    case .credit: return Statement.isCredit(t.amount) ? money(t.amount) : ""
    case .debit: return Statement.isCredit(t.amount) ? "" : money(-t.amount)
    case .negative: return t.amount < 0
    case .balance: return money(line.runningBooked)
    case .negativeBalance: return line.runningBooked < 0
    }
  }

  /// The line's dictionary, as `HTMLStatement.context` gives swift-mustache.
  func dictionary(_ row: Int) -> [String: Any] {
    var dictionary = [String: Any](minimumCapacity: Field.allCases.count)
    for field in Field.allCases { dictionary[field.rawValue] = value(field, row) }
    return dictionary
  }

  /// Every line's dictionary.
  func array() -> [[String: Any]] { (0..<count).map(dictionary) }
}
