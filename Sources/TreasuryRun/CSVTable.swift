import Foundation
import TreasuryArchive

/// A small CSV file (a statement's summary row, its transactions or pending lines) read whole into cells.
///
/// Files here are one statement's, so holding them whole is fine.
struct CSVTable: Sendable, Equatable {
  var header: [String]
  var rows: [[String]]

  init(header: [String], rows: [[String]]) {
    self.header = header
    self.rows = rows
  }

  /// Reads `data` with the CSV reader `verify` uses (TreasuryArchive's `CSVReader`: RFC 4180, bounded records);
  /// a file that is not well-formed CSV, or breaks its limits, is an error naming `name`, never half a table.
  init(data: Data, name: String) throws(RunError) {
    var reader = CSVReader()
    var records: [[String]] = []
    data.withUnsafeBytes { reader.feed($0) { records.append($0) } }
    reader.finish { records.append($0) }
    if let overflow = reader.overLimit { throw .io(path: name, reason: overflow.message) }
    if let record = reader.malformedRecord {
      throw .io(path: name, reason: "record \(record) is not well-formed CSV (a stray or unclosed quote)")
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
