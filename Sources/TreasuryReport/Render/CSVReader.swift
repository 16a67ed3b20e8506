/// Parses RFC 4180 CSV as it arrives in pieces (what `CSVWriter` writes), handing each record to a closure.
///
/// For `verify`, which reads statements back from files and archive members
/// without holding them whole. Records end at CRLF, LF or CR outside quotes.
/// A quote inside an unquoted cell, or text after a closing quote, marks the
/// input `malformed` (the cell is still read, as a spreadsheet would).
public struct CSVReader {
  private enum State {
    case cellStart, unquoted, quoted, quoteInQuoted
  }

  private var state = State.cellStart
  private var cell: [UInt8] = []
  private var record: [String] = []
  private var afterCR = false
  /// Records read so far (the header counts).
  public private(set) var records = 0
  /// The first record number (1-based) that was not well-formed CSV.
  public private(set) var malformedRecord: Int?

  public init() {}

  public mutating func feed(_ bytes: UnsafeRawBufferPointer, _ emit: ([String]) throws -> Void) rethrows {
    for byte in bytes {
      if afterCR {
        afterCR = false
        if byte == 0x0A { continue }
      }
      switch state {
      case .quoted:
        if byte == UInt8(ascii: "\"") { state = .quoteInQuoted } else { cell.append(byte) }
      case .quoteInQuoted:
        if byte == UInt8(ascii: "\"") {
          cell.append(byte)
          state = .quoted
        } else {
          state = .unquoted
          try separatorOrText(byte, emit, afterQuote: true)
        }
      case .cellStart:
        if byte == UInt8(ascii: "\"") { state = .quoted } else { try separatorOrText(byte, emit, afterQuote: false) }
      case .unquoted:
        try separatorOrText(byte, emit, afterQuote: false)
      }
    }
  }

  /// Ends the input: a last record without a line end is emitted; an open quote is malformed.
  public mutating func finish(_ emit: ([String]) throws -> Void) rethrows {
    if state == .quoted { markMalformed() }
    if state != .cellStart || !record.isEmpty || !cell.isEmpty { try endRecord(emit) }
  }

  private mutating func separatorOrText(_ byte: UInt8, _ emit: ([String]) throws -> Void, afterQuote: Bool) rethrows {
    switch byte {
    case UInt8(ascii: ","):
      endCell()
    case 0x0D, 0x0A:
      afterCR = byte == 0x0D
      try endRecord(emit)
    default:
      if afterQuote || byte == UInt8(ascii: "\"") { markMalformed() }
      cell.append(byte)
      state = .unquoted
    }
  }

  private mutating func endCell() {
    record.append(String(decoding: cell, as: UTF8.self))
    cell.removeAll(keepingCapacity: true)
    state = .cellStart
  }

  private mutating func endRecord(_ emit: ([String]) throws -> Void) rethrows {
    endCell()
    records += 1
    let done = record
    record.removeAll(keepingCapacity: true)
    try emit(done)
  }

  private mutating func markMalformed() {
    if malformedRecord == nil { malformedRecord = records + 1 }
  }
}
