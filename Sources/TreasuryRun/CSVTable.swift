import Foundation

/// A small CSV file (a statement's summary row, its transactions or pending lines) read whole into cells.
///
/// Reads what the tool's own `CSVWriter` writes (RFC 4180: quotes doubled, CRLF or LF); files here are one
/// statement's, so holding them is fine.
struct CSVTable: Sendable, Equatable {
  var header: [String]
  var rows: [[String]]

  init(header: [String], rows: [[String]]) {
    self.header = header
    self.rows = rows
  }

  init(text: String) {
    var records: [[String]] = []
    var record: [String] = []
    var cell = ""
    var quoted = false
    var iterator = text.unicodeScalars.makeIterator()
    var pending: Unicode.Scalar? = nil
    while let c = pending ?? iterator.next() {
      pending = nil
      if quoted {
        if c == "\"" {
          if let next = iterator.next() {
            if next == "\"" {
              cell.unicodeScalars.append("\"")
            } else {
              quoted = false
              pending = next
            }
          } else {
            quoted = false
          }
        } else {
          cell.unicodeScalars.append(c)
        }
      } else if c == "\"" {
        quoted = true
      } else if c == "," {
        record.append(cell)
        cell = ""
      } else if c == "\n" || c == "\r" {
        if c == "\r", let next = iterator.next(), next != "\n" { pending = next }
        record.append(cell)
        records.append(record)
        record = []
        cell = ""
      } else {
        cell.unicodeScalars.append(c)
      }
    }
    if !cell.isEmpty || !record.isEmpty {
      record.append(cell)
      records.append(record)
    }
    header = records.first ?? []
    rows = Array(records.dropFirst())
  }

  /// The column's cell of `row`, "" when the column is missing.
  func value(_ row: [String], _ column: String) -> String {
    guard let i = header.firstIndex(of: column), i < row.count else { return "" }
    return row[i]
  }

  /// A cell as CSV writes it: quoted when it holds a comma, quote or line break.
  static func cell(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  /// One CSV line (LF-terminated).
  static func line(_ cells: [String]) -> String { cells.map(cell).joined(separator: ",") + "\n" }
}
