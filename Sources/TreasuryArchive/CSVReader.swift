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

  /// One record as read: its cells' unescaped bytes one after another, and where each cell ends.
  ///
  /// Handed to the reader's closure and valid only there as it is (the
  /// reader reuses its storage for the next record; a copy kept by the
  /// closure stays intact, at the price of the reader allocating anew).
  package struct Record {
    package fileprivate(set) var bytes: [UInt8] = []
    package fileprivate(set) var ends: [Int] = []

    package var count: Int { ends.count }

    init() {}

    /// A record of these cells, as the reader would hand it over.
    package init(cells: [String]) {
      for cell in cells {
        bytes += cell.utf8
        ends.append(bytes.count)
      }
    }

    /// The range of cell `i` in `bytes`.
    @inline(__always)
    package func range(_ i: Int) -> Range<Int> { (i == 0 ? 0 : ends[i - 1])..<ends[i] }

    /// Cell `i` as text (invalid UTF-8 repaired, as `String(decoding:)` does).
    package subscript(_ i: Int) -> String { String(decoding: bytes[range(i)], as: UTF8.self) }

    /// Every cell as text.
    package var strings: [String] { (0..<count).map { self[$0] } }

    /// Runs `body` on the bytes of cell `i`.
    @inline(__always)
    package func withCell<R>(_ i: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R {
      let cell = range(i)
      return bytes.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[cell])) }
    }

    /// Whether the record's cells are `cells`, byte for byte.
    package func equals(_ cells: [String]) -> Bool {
      guard cells.count == count else { return false }
      for (i, cell) in cells.enumerated() where !cell.utf8.elementsEqual(bytes[range(i)]) { return false }
      return true
    }
  }

  private var state = State.cellStart
  private var record = Record()
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

  /// Reads `bytes`, handing each complete record to `emit` as its cells' text.
  package mutating func feed(_ bytes: UnsafeRawBufferPointer, _ emit: ([String]) throws -> Void) rethrows {
    try feedRecords(bytes) { try emit($0.strings) }
  }

  /// Ends the input: a last record without a line end is emitted; an open quote is malformed.
  package mutating func finish(_ emit: ([String]) throws -> Void) rethrows {
    try finishRecords { try emit($0.strings) }
  }

  /// Reads `bytes`, handing each complete record to `emit` without making text of its cells.
  ///
  /// Runs of ordinary bytes (in a quoted cell: anything but a quote) are
  /// found first and copied at once; only quotes, commas and line ends go
  /// through the state machine one by one.
  package mutating func feedRecords(_ bytes: UnsafeRawBufferPointer, _ emit: (Record) throws -> Void) rethrows {
    guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
    let n = bytes.count
    var i = 0
    while i < n {
      if state == .stopped { return }
      if !afterCR && (state == .unquoted || state == .cellStart || state == .quoted) {
        var j = i
        var newlines = 0
        if state == .quoted {
          while j < n && base[j] != UInt8(ascii: "\"") {
            if base[j] == 0x0A { newlines += 1 }
            j += 1
          }
        } else {
          while j < n {
            let byte = base[j]
            if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == 0x0A || byte == 0x0D { break }
            j += 1
          }
        }
        if j > i {
          line += newlines
          recordBytes += j - i
          if recordBytes > Self.recordLimit {
            stop(.bytes)
            return
          }
          record.bytes.append(contentsOf: UnsafeBufferPointer(start: base + i, count: j - i))
          if state == .cellStart { state = .unquoted }
          i = j
          continue
        }
      }
      try step(base[i], emit)
      i += 1
    }
  }

  /// One byte through the state machine.
  @inline(__always)
  private mutating func step(_ byte: UInt8, _ emit: (Record) throws -> Void) rethrows {
    if state == .stopped { return }
    if byte == 0x0A { line += 1 }
    if afterCR {
      afterCR = false
      if byte == 0x0A {
        recordLine = line
        return
      }
    }
    recordBytes += 1
    if recordBytes > Self.recordLimit {
      stop(.bytes)
      return
    }
    switch state {
    case .quoted:
      if byte == UInt8(ascii: "\"") { state = .quoteInQuoted } else { record.bytes.append(byte) }
    case .quoteInQuoted:
      if byte == UInt8(ascii: "\"") {
        record.bytes.append(byte)
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

  /// Ends the input: a last record without a line end is emitted; an open quote is malformed.
  package mutating func finishRecords(_ emit: (Record) throws -> Void) rethrows {
    if state == .stopped { return }
    if state == .quoted { markMalformed() }
    let cellOpen = record.bytes.count > (record.ends.last ?? 0)
    if state != .cellStart || !record.ends.isEmpty || cellOpen { try endRecord(emit) }
  }

  private mutating func separatorOrText(_ byte: UInt8, _ emit: (Record) throws -> Void, afterQuote: Bool) rethrows {
    switch byte {
    case UInt8(ascii: ","):
      endCell()
    case 0x0D, 0x0A:
      afterCR = byte == 0x0D
      try endRecord(emit)
    default:
      if afterQuote || byte == UInt8(ascii: "\"") { markMalformed() }
      record.bytes.append(byte)
      state = .unquoted
    }
  }

  private mutating func endCell() {
    guard record.ends.count < Self.cellLimit else { return stop(.cells) }
    record.ends.append(record.bytes.count)
    state = .cellStart
  }

  private mutating func endRecord(_ emit: (Record) throws -> Void) rethrows {
    endCell()
    if state == .stopped { return }
    records += 1
    recordBytes = 0
    recordLine = line
    try emit(record)
    record.bytes.removeAll(keepingCapacity: true)
    record.ends.removeAll(keepingCapacity: true)
  }

  /// Gives up on the input: frees what the record holds and reads nothing more.
  private mutating func stop(_ limit: Overflow.Limit) {
    overLimit = Overflow(limit: limit, record: records + 1, line: recordLine)
    state = .stopped
    record = Record()
  }

  private mutating func markMalformed() {
    if malformedRecord == nil { malformedRecord = records + 1 }
  }
}
