@_spi(Inlining) import TreasuryModel
import TreasuryXML

/// Builds RFC 4180 CSV (UTF-8, CRLF, a header row) and streams it to a `RenderTarget`.
///
/// Text cells that a spreadsheet would run as a formula (starting with
/// `= + - @`, tab or CR) get a leading `'` (the formula guard, which a CSV
/// profile may turn off); a cell is quoted when it holds the delimiter, a
/// quote, CR or LF; numeric cells are written as they are.
/// Control characters follow the rule of the XML and HTML outputs
/// (`XMLText`): C0 controls but tab, LF and CR, DEL, C1 controls, U+FFFE and
/// U+FFFF become U+FFFD, so no NUL or escape sequence reaches a file. CSV
/// profiles (`ProfileCSV`) choose another delimiter, LF line ends, a
/// byte-order mark or no header.
package struct CSVWriter {
  private let buffer: ByteBuffer
  /// Data rows written (the header is not counted).
  package private(set) var rows = 0
  private var cells = 0
  private let target: RenderTarget
  private let flushAt: Int
  private let delimiter: UInt8
  /// The delimiter in every byte, for the eight-bytes-at-a-time scan.
  private let delimiterWord: UInt64
  private let crlf: Bool
  private let formulaGuard: Bool

  /// `header` nil writes no header row; `byteOrderMark` starts the file with U+FEFF; `formulaGuard` false
  /// writes text cells that start like a formula as they are.
  package init(
    target: RenderTarget, header: [String]?, delimiter: UInt8 = UInt8(ascii: ","), crlf: Bool = true,
    byteOrderMark: Bool = false, formulaGuard: Bool = true, flushAt: Int = 1 << 18
  ) {
    self.target = target
    self.formulaGuard = formulaGuard
    self.flushAt = flushAt
    self.delimiter = delimiter
    delimiterWord = UInt64(delimiter) &* 0x0101_0101_0101_0101
    self.crlf = crlf
    buffer = ByteBuffer(capacity: flushAt + 4096)
    if byteOrderMark { Self.byteOrderMark.withUnsafeBytes { buffer.append($0) } }
    if let header {
      for name in header { text(name) }
      endRow(counting: false)
    }
  }

  /// U+FEFF in UTF-8, which tells Excel the file is UTF-8.
  private static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

  package mutating func text(_ string: String) {
    var copy = string
    copy.withUTF8 { text(UnsafeRawBufferPointer($0)) }
  }

  package mutating func text(_ cell: UnsafeRawBufferPointer) { write(cell, guarding: formulaGuard) }

  /// A cell that is not text (a date or an amount in a profile's format): quoted if needed, never guarded.
  package mutating func value(_ cell: UnsafeRawBufferPointer) { write(cell, guarding: false) }

  private mutating func write(_ cell: UnsafeRawBufferPointer, guarding: Bool) {
    let screen = screen(cell)
    if screen.cleaning && XMLText.needsCleaning(cell) {
      var cleaned: [UInt8] = []
      XMLText.append(cell, to: &cleaned)
      cleaned.withUnsafeBytes { write($0, guarding: guarding, quoting: self.screen($0).quoting) }
    } else {
      write(cell, guarding: guarding, quoting: screen.quoting)
    }
  }

  /// Writes a clean cell; `quoting`: it may hold a quote, the delimiter, LF or CR.
  private mutating func write(_ cell: UnsafeRawBufferPointer, guarding: Bool, quoting: Bool) {
    separate()
    guard let first = cell.first else { return }
    let guarded =
      guarding
      && (first == UInt8(ascii: "=") || first == UInt8(ascii: "+") || first == UInt8(ascii: "-")
        || first == UInt8(ascii: "@") || first == 0x09 || first == 0x0D)
    var quotes = 0
    var quoted = false
    if quoting {
      for c in cell {
        if c == UInt8(ascii: "\"") {
          quotes += 1
          quoted = true
        } else if c == delimiter || c == 0x0A || c == 0x0D {
          quoted = true
        }
      }
    }
    let length = cell.count + quotes + (quoted ? 2 : 0) + (guarded ? 1 : 0)
    var p = buffer.reserve(length)
    if quoted {
      p.pointee = UInt8(ascii: "\"")
      p += 1
    }
    if guarded {
      p.pointee = UInt8(ascii: "'")
      p += 1
    }
    if quotes == 0 {
      p.update(from: cell.baseAddress!.assumingMemoryBound(to: UInt8.self), count: cell.count)
      p += cell.count
    } else {
      for c in cell {
        if c == UInt8(ascii: "\"") {
          p.pointee = c
          p += 1
        }
        p.pointee = c
        p += 1
      }
    }
    if quoted { p.pointee = UInt8(ascii: "\"") }
    buffer.commit(length)
  }

  /// What a cell may need, from one pass eight bytes at a time: `quoting` when a byte may be a quote, the
  /// delimiter, LF or CR; `cleaning` when one is below 0x20 or above 0x7E (`XMLText.needsCleaning` then
  /// decides: tab, LF, CR and most non-ASCII text are fine). Neither ever misses a byte that needs it.
  @inline(__always)
  func screen(_ cell: UnsafeRawBufferPointer) -> (quoting: Bool, cleaning: Bool) {
    let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
    let high: UInt64 = 0x8080_8080_8080_8080
    let delimiterWord = self.delimiterWord
    @inline(__always) func zeroBytes(_ x: UInt64) -> UInt64 { ~(((x & low7) &+ low7) | x | low7) }
    var special: UInt64 = 0
    var suspect: UInt64 = 0
    var i = 0
    while i + 8 <= cell.count {
      let v = cell.loadUnaligned(fromByteOffset: i, as: UInt64.self)
      special |=
        zeroBytes(v ^ 0x2222_2222_2222_2222) | zeroBytes(v ^ delimiterWord) | zeroBytes(v ^ 0x0A0A_0A0A_0A0A_0A0A)
        | zeroBytes(v ^ 0x0D0D_0D0D_0D0D_0D0D)
      // A byte below 0x20 (a borrow can only add false alarms), or one of 0x7F and above (no carry: each byte
      // of (v & low7) + 1 stays at most 0x80).
      suspect |= ((v &- 0x2020_2020_2020_2020) & ~v | ((v & low7) &+ 0x0101_0101_0101_0101) | v) & high
      i += 8
    }
    var quoting = special != 0
    var cleaning = suspect != 0
    while i < cell.count {
      let c = cell[i]
      quoting = quoting || c == UInt8(ascii: "\"") || c == delimiter || c == 0x0A || c == 0x0D
      cleaning = cleaning || c < 0x20 || c >= 0x7F
      i += 1
    }
    return (quoting, cleaning)
  }

  /// A symbol's string as a text cell.
  package mutating func text(_ symbol: Symbol, in symbols: SymbolTable) {
    symbols.withBytes(symbol) { text($0) }
  }

  /// Minor units as a decimal in major units.
  package mutating func amount(_ minor: Int64, digits: Int) {
    separate()
    DecimalAmount.append(minor, digits: digits, to: buffer)
  }

  package mutating func integer(_ value: Int) {
    separate()
    DecimalAmount.append(Int64(value), digits: 0, to: buffer)
  }

  package mutating func time(_ time: Int64, _ formatter: LocalTimeFormatter) {
    separate()
    formatter.append(time, to: buffer)
  }

  /// An empty cell.
  package mutating func empty() { separate() }

  package mutating func endRow() { endRow(counting: true) }

  private mutating func endRow(counting: Bool) {
    if crlf {
      let p = buffer.reserve(2)
      p[0] = 0x0D
      p[1] = 0x0A
      buffer.commit(2)
    } else {
      buffer.append(0x0A)
    }
    cells = 0
    if counting { rows += 1 }
  }

  @inline(__always) private mutating func separate() {
    if cells > 0 { buffer.append(delimiter) }
    cells += 1
  }

  /// Hands full buffers to the target; call after each row.
  package mutating func flushIfFull() throws(RenderError) {
    if buffer.count >= flushAt { try flush() }
  }

  /// Hands everything written so far to the target.
  package mutating func flush() throws(RenderError) {
    guard buffer.count > 0 else { return }
    try target.emit(buffer.bytes)
    buffer.removeAll()
  }
}

extension CSVWriter {
  /// The cells every transaction line shares: id, flow_type, flow, description, amount.
  package mutating func transactionCells(_ t: TransactionRecord, symbols: SymbolTable, digits: Int) {
    text(t.id, in: symbols)
    text(t.flowType, in: symbols)
    text(t.flow, in: symbols)
    text(t.description, in: symbols)
    amount(t.amount, digits: digits)
  }
}
