/// Builds RFC 4180 CSV (UTF-8, CRLF, a header row) and streams it to a `RenderTarget`.
///
/// Text cells that a spreadsheet would run as a formula (starting with
/// `= + - @`, tab or CR) get a leading `'`; numeric cells are written as they are.
public struct CSVWriter {
  public private(set) var bytes: [UInt8] = []
  /// Data rows written (the header is not counted).
  public private(set) var rows = 0
  private var cells = 0
  private let target: RenderTarget
  private let flushAt: Int

  public init(target: RenderTarget, header: [String], flushAt: Int = 1 << 18) {
    self.target = target
    self.flushAt = flushAt
    bytes.reserveCapacity(flushAt + 4096)
    for name in header { text(name) }
    endRow(counting: false)
  }

  public mutating func text(_ string: String) {
    var copy = string
    copy.withUTF8 { text(UnsafeRawBufferPointer($0)) }
  }

  public mutating func text(_ cell: UnsafeRawBufferPointer) {
    separate()
    guard let first = cell.first else { return }
    let guarded =
      first == UInt8(ascii: "=") || first == UInt8(ascii: "+") || first == UInt8(ascii: "-")
      || first == UInt8(ascii: "@") || first == 0x09 || first == 0x0D
    var quoted = false
    for c in cell where c == UInt8(ascii: ",") || c == UInt8(ascii: "\"") || c == 0x0A || c == 0x0D {
      quoted = true
      break
    }
    if quoted { bytes.append(UInt8(ascii: "\"")) }
    if guarded { bytes.append(UInt8(ascii: "'")) }
    if quoted {
      for c in cell {
        if c == UInt8(ascii: "\"") { bytes.append(c) }
        bytes.append(c)
      }
      bytes.append(UInt8(ascii: "\""))
    } else {
      bytes.append(contentsOf: cell)
    }
  }

  /// A symbol's string as a text cell.
  public mutating func text(_ symbol: Symbol, in symbols: SymbolTable) {
    symbols.withBytes(symbol) { text($0) }
  }

  /// Minor units as a decimal in major units.
  public mutating func amount(_ minor: Int64, digits: Int) {
    separate()
    DecimalAmount.append(minor, digits: digits, to: &bytes)
  }

  public mutating func integer(_ value: Int) {
    separate()
    if value < 0 { bytes.append(UInt8(ascii: "-")) }
    DecimalAmount.appendDigits(UInt64(value.magnitude), to: &bytes)
  }

  public mutating func time(_ time: Int64, _ formatter: LocalTimeFormatter) {
    separate()
    formatter.append(time, to: &bytes)
  }

  /// An empty cell.
  public mutating func empty() { separate() }

  public mutating func endRow() { endRow(counting: true) }

  private mutating func endRow(counting: Bool) {
    bytes.append(0x0D)
    bytes.append(0x0A)
    cells = 0
    if counting { rows += 1 }
  }

  @inline(__always) private mutating func separate() {
    if cells > 0 { bytes.append(UInt8(ascii: ",")) }
    cells += 1
  }

  /// Hands full buffers to the target; call after each row.
  public mutating func flushIfFull() throws {
    if bytes.count >= flushAt { try flush() }
  }

  /// Hands everything written so far to the target.
  public mutating func flush() throws {
    guard !bytes.isEmpty else { return }
    try bytes.withUnsafeBytes { try target.write($0) }
    bytes.removeAll(keepingCapacity: true)
  }
}

extension CSVWriter {
  /// The cells every transaction line shares: id, flow_type, flow, description, amount.
  public mutating func transactionCells(_ t: TransactionRecord, symbols: SymbolTable, digits: Int) {
    text(t.id, in: symbols)
    text(t.flowType, in: symbols)
    text(t.flow, in: symbols)
    text(t.description, in: symbols)
    amount(t.amount, digits: digits)
  }
}
