import Foundation

/// Compares the tool's summary.csv with DuckDB's rows, to the cent.
enum SummaryComparison {
  typealias Row = [Int]

  /// Keyed by "financial_account period_start(seconds)": the eleven numbers in minor units and counts.
  static func tool(_ path: String) -> [String: Row]? {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
    var rows: [String: Row] = [:]
    let formatter = ISO8601DateFormatter()
    for line in text.split(separator: "\r\n").dropFirst() {
      let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      guard cells.count == 17, let start = formatter.date(from: cells[3]) else { return nil }
      let money = [5, 6, 7, 8, 9, 10, 11, 12].map { cents(cells[$0]) }
      let counts = [13, 14, 15].map { Int(cells[$0]) }
      guard money.allSatisfy({ $0 != nil }), counts.allSatisfy({ $0 != nil }) else { return nil }
      rows["\(cells[0]) \(Int(start.timeIntervalSince1970))"] = money.compactMap { $0 } + counts.compactMap { $0 }
    }
    return rows
  }

  static func duckdb(_ path: String) -> [String: Row]? {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
    var rows: [String: Row] = [:]
    for line in text.split(separator: "\n") {
      let cells = line.split(separator: ",").map(String.init)
      guard cells.count == 13 else { return nil }
      let numbers = cells[2...].compactMap { Int($0) }
      guard numbers.count == 11 else { return nil }
      rows["\(cells[0]) \(cells[1])"] = numbers
    }
    return rows
  }

  /// "1234.56" → 123456 (two decimals, as USD is written).
  static func cents(_ text: String) -> Int? {
    let negative = text.hasPrefix("-")
    let digits = text.replacingOccurrences(of: "-", with: "").split(separator: ".")
    guard digits.count == 2, digits[1].count == 2, let whole = Int(digits[0]), let fraction = Int(digits[1]) else {
      return nil
    }
    return (negative ? -1 : 1) * (whole * 100 + fraction)
  }

  /// Nil when equal, else a description of the first difference.
  static func difference(tool: [String: Row], duckdb: [String: Row]) -> String? {
    if tool.count != duckdb.count { return "the tool has \(tool.count) statements, DuckDB \(duckdb.count)" }
    for (key, row) in tool.sorted(by: { $0.key < $1.key }) where duckdb[key] != row {
      return "\(key): tool \(row), DuckDB \(duckdb[key].map { "\($0)" } ?? "missing")"
    }
    return nil
  }
}
