/// A CSV file this tool wrote, split into records without decoding them: each row's bytes are kept as written.
///
/// `merge` reorders rows and must give back exactly the bytes a run renders, so
/// it never parses cells into text and writes them again (the formula guard and
/// quoting would apply twice); it only finds where records and cells end, by
/// RFC 4180 quoting, and reads a cell's text where it needs a sort key.
struct CSVRows {
  /// The header record, its CRLF included.
  let header: [UInt8]
  /// Every data record, its line end included, in file order.
  let rows: [Row]

  struct Row {
    /// The record's bytes as written.
    var bytes: [UInt8]
    /// Each cell's byte range in `bytes`, quotes included.
    var cells: [Range<Int>]

    /// Cell `index` as text, quotes removed (ids, dates and amounts are never quoted; this is for keys).
    func text(_ index: Int) -> String {
      guard index < cells.count else { return "" }
      var cell = Array(bytes[cells[index]])
      if cell.first == UInt8(ascii: "\""), cell.count >= 2 {
        cell = Array(cell.dropFirst().dropLast())
        var unquoted: [UInt8] = []
        var previousQuote = false
        for byte in cell {
          if byte == UInt8(ascii: "\"") && previousQuote {
            previousQuote = false
            continue
          }
          previousQuote = byte == UInt8(ascii: "\"")
          unquoted.append(byte)
        }
        cell = unquoted
      }
      return String(decoding: cell, as: UTF8.self)
    }

    /// The record with cell `index` replaced by `cell` (bytes as CSVWriter renders them).
    func replacing(_ index: Int, with cell: [UInt8]) -> [UInt8] {
      guard index < cells.count else { return bytes }
      return Array(bytes[..<cells[index].lowerBound]) + cell + Array(bytes[cells[index].upperBound...])
    }
  }

  /// Splits `bytes` (a whole CSV file with a header, comma-separated); nil when it does not end in a line end.
  init?(_ bytes: [UInt8]) {
    var records: [Row] = []
    var start = 0
    var cellStart = 0
    var cells: [Range<Int>] = []
    var quoted = false
    var index = 0
    while index < bytes.count {
      let byte = bytes[index]
      if quoted {
        if byte == UInt8(ascii: "\"") {
          if index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\"") {
            index += 2
            continue
          }
          quoted = false
        }
        index += 1
        continue
      }
      switch byte {
      case UInt8(ascii: "\""):
        quoted = true
      case UInt8(ascii: ","):
        cells.append((cellStart - start)..<(index - start))
        cellStart = index + 1
      case 0x0D, 0x0A:
        cells.append((cellStart - start)..<(index - start))
        var end = index + 1
        if byte == 0x0D && end < bytes.count && bytes[end] == 0x0A { end += 1 }
        records.append(Row(bytes: Array(bytes[start..<end]), cells: cells))
        cells = []
        start = end
        cellStart = end
        index = end
        continue
      default:
        break
      }
      index += 1
    }
    guard start == bytes.count, let first = records.first else { return nil }
    header = first.bytes
    rows = Array(records.dropFirst())
  }
}
