import Testing

@testable import TreasuryArchive

/// The CSV reader copies runs of ordinary bytes at once: it must read every input exactly as the byte-at-a-time
/// state machine it replaced (kept below as the oracle), however the input is split into pieces.
@Suite struct CSVReaderRunsTests {
  /// The reader before runs were copied at once (fields and records only; limits are CSVReaderLimitTests').
  struct ByteAtATimeReader {
    enum State { case cellStart, unquoted, quoted, quoteInQuoted }
    var state = State.cellStart
    var cell: [UInt8] = []
    var record: [String] = []
    var afterCR = false
    var records: [[String]] = []
    var malformedRecord: Int?

    mutating func feed(_ bytes: [UInt8]) {
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
            separatorOrText(byte, afterQuote: true)
          }
        case .cellStart:
          if byte == UInt8(ascii: "\"") { state = .quoted } else { separatorOrText(byte, afterQuote: false) }
        case .unquoted:
          separatorOrText(byte, afterQuote: false)
        }
      }
    }

    mutating func finish() {
      if state == .quoted { malformed() }
      if state != .cellStart || !record.isEmpty || !cell.isEmpty { endRecord() }
    }

    mutating func separatorOrText(_ byte: UInt8, afterQuote: Bool) {
      switch byte {
      case UInt8(ascii: ","): endCell()
      case 0x0D, 0x0A:
        afterCR = byte == 0x0D
        endRecord()
      default:
        if afterQuote || byte == UInt8(ascii: "\"") { malformed() }
        cell.append(byte)
        state = .unquoted
      }
    }

    mutating func endCell() {
      record.append(String(decoding: cell, as: UTF8.self))
      cell.removeAll()
      state = .cellStart
    }

    mutating func endRecord() {
      endCell()
      records.append(record)
      record.removeAll()
    }

    mutating func malformed() {
      if malformedRecord == nil { malformedRecord = records.count + 1 }
    }
  }

  /// Random CSV-ish bytes: mostly ordinary text, with quotes, commas, CR, LF and multi-byte UTF-8 mixed in.
  static func input(seed: UInt64, count: Int) -> [UInt8] {
    var state = seed
    func next() -> UInt64 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return state >> 33
    }
    let specials: [[UInt8]] = [[0x22], [0x2C], [0x0D], [0x0A], [0x0D, 0x0A], [0x22, 0x22], Array("é".utf8), [0xFF]]
    var bytes: [UInt8] = []
    while bytes.count < count {
      if next() % 4 == 0 {
        bytes += specials[Int(next() % UInt64(specials.count))]
      } else {
        bytes += (0..<Int(next() % 12)).map { _ in UInt8(ascii: "a") + UInt8(next() % 26) }
      }
    }
    return bytes
  }

  @Test(arguments: 0..<40)
  func readsEveryInputAsTheByteAtATimeReader(seed: Int) {
    let bytes = Self.input(seed: UInt64(seed), count: 3000)
    var oracle = ByteAtATimeReader()
    oracle.feed(bytes)
    oracle.finish()
    for step in [1, 2, 5, 64, 3000] {
      var reader = CSVReader()
      var records: [[String]] = []
      var viaRecords: [[String]] = []
      var offset = 0
      while offset < bytes.count {
        let end = min(bytes.count, offset + step)
        bytes[offset..<end].withUnsafeBytes {
          reader.feedRecords($0) { record in
            records.append(record.strings)
            viaRecords.append(
              (0..<record.count).map { i in record.withCell(i) { String(decoding: $0, as: UTF8.self) } })
          }
        }
        offset = end
      }
      reader.finishRecords {
        records.append($0.strings)
        viaRecords.append($0.strings)
      }
      #expect(records == oracle.records, "seed \(seed), pieces of \(step)")
      #expect(viaRecords == records, "seed \(seed), pieces of \(step): withCell")
      #expect(reader.records == oracle.records.count)
      #expect(reader.malformedRecord == oracle.malformedRecord, "seed \(seed), pieces of \(step)")
    }
  }

  @Test func aRecordComparesWithItsText() {
    let record = CSVReader.Record(cells: ["a", "", "ü,\"x"])
    #expect(record.equals(["a", "", "ü,\"x"]))
    #expect(!record.equals(["a", "", "ü,\"y"]))
    #expect(!record.equals(["a", ""]))
    #expect(record.strings == ["a", "", "ü,\"x"])
  }
}
