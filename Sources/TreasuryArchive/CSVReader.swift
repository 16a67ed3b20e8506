/// Parses RFC 4180 CSV as it arrives in pieces (what `CSVWriter` writes), handing each record to a closure.
///
/// For `verify`, which reads statements back from files and archive members
/// without holding them whole. Records end at CRLF, LF or CR outside quotes.
/// A quote inside an unquoted cell, or text after a closing quote, marks the
/// input `malformed` (the cell is still read, as a spreadsheet would).
///
/// Memory is bounded: a record longer than `recordLimit` bytes or with more
/// than `cellLimit` cells stops the reader (`overLimit` says where); nothing
/// after it is read. A gzip member of one repeated byte inflates about 1000:1,
/// so without a bound a small archive could hold a cell of gigabytes.
package struct CSVReader {
  /// The longest record read, quotes and line end included: above any line this tool writes (at most 64 profile
  /// columns, each a text field of at most 64 KiB whose bytes may each become a 3-byte U+FFFD: 12 MiB).
  package static let recordLimit = 16 << 20
  /// The most cells in one record (the widest file this tool writes has 17).
  package static let cellLimit = 1024

  /// Where reading stopped at a limit, and which.
  package struct Overflow: Sendable, Equatable {
    package enum Limit: Sendable, Equatable { case bytes, cells }
    package var limit: Limit
    /// The record (1-based, the header counts) and the line it starts on (1-based, counting LF).
    package var record: Int
    package var line: Int

    /// What went wrong, for a message that names the file first.
    package var message: String {
      switch limit {
      case .bytes:
        return
          "line \(line) (record \(record)) is longer than \(CSVReader.recordLimit >> 20) MiB, the longest CSV record verify reads; the rest of the file was not read as CSV"
      case .cells:
        return
          "line \(line) (record \(record)) has more than \(CSVReader.cellLimit) cells, the most verify reads in one CSV record; the rest of the file was not read as CSV"
      }
    }
  }

  private enum State {
    case cellStart, unquoted, quoted, quoteInQuoted, stopped
  }

  private var state = State.cellStart
  private var cell: [UInt8] = []
  private var record: [String] = []
  private var afterCR = false
  /// Bytes of the record being read, and the line it started on.
  private var recordBytes = 0
  private var line = 1
  private var recordLine = 1
  /// Records read so far (the header counts).
  package private(set) var records = 0
  /// The first record number (1-based) that was not well-formed CSV.
  package private(set) var malformedRecord: Int?
  /// Set when a record broke `recordLimit` or `cellLimit`; no record is emitted after it.
  package private(set) var overLimit: Overflow?

  package init() {}

  package mutating func feed(_ bytes: UnsafeRawBufferPointer, _ emit: ([String]) throws -> Void) rethrows {
    for byte in bytes {
      if state == .stopped { return }
      if byte == 0x0A { line += 1 }
      if afterCR {
        afterCR = false
        if byte == 0x0A {
          recordLine = line
          continue
        }
      }
      recordBytes += 1
      if recordBytes > Self.recordLimit {
        stop(.bytes)
        return
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
      case .stopped:
        return
      }
    }
  }

  /// Ends the input: a last record without a line end is emitted; an open quote is malformed.
  package mutating func finish(_ emit: ([String]) throws -> Void) rethrows {
    if state == .stopped { return }
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
    guard record.count < Self.cellLimit else { return stop(.cells) }
    record.append(String(decoding: cell, as: UTF8.self))
    cell.removeAll(keepingCapacity: true)
    state = .cellStart
  }

  private mutating func endRecord(_ emit: ([String]) throws -> Void) rethrows {
    endCell()
    if state == .stopped { return }
    records += 1
    recordBytes = 0
    recordLine = line
    let done = record
    record.removeAll(keepingCapacity: true)
    try emit(done)
  }

  /// Gives up on the input: frees what the record holds and reads nothing more.
  private mutating func stop(_ limit: Overflow.Limit) {
    overLimit = Overflow(limit: limit, record: records + 1, line: recordLine)
    state = .stopped
    cell = []
    record = []
  }

  private mutating func markMalformed() {
    if malformedRecord == nil { malformedRecord = records + 1 }
  }
}
