import Foundation

/// Compares the tool's summary.csv with DuckDB's rows, to the cent.
enum SummaryComparison {
  typealias Row = [Int]

  /// The columns compared, in DuckDB's order: eight amounts, then three counts.
  static let amountColumns = [
    "opening_cash", "opening_inbound_pending", "opening_outbound_pending", "credits", "debits", "closing_cash",
    "closing_inbound_pending", "closing_outbound_pending",
  ]
  static let countColumns = ["posted_count", "void_count", "open_count"]

  /// Keyed by "financial_account period_start(seconds)": the eleven numbers in minor units and counts, read by
  /// column name.
  static func tool(_ path: String) -> [String: Row]? {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
    let lines = text.split(separator: "\r\n")
    guard let header = lines.first?.split(separator: ",").map(String.init) else { return nil }
    let wanted = ["financial_account", "period_start"] + amountColumns + countColumns
    let index = wanted.compactMap { header.firstIndex(of: $0) }
    guard index.count == wanted.count else { return nil }
    var rows: [String: Row] = [:]
    let formatter = ISO8601DateFormatter()
    for line in lines.dropFirst() {
      let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      guard cells.count == header.count, let start = formatter.date(from: cells[index[1]]) else { return nil }
      let money = index[2..<(2 + amountColumns.count)].map { cents(cells[$0]) }
      let counts = index[(2 + amountColumns.count)...].map { Int(cells[$0]) }
      guard money.allSatisfy({ $0 != nil }), counts.allSatisfy({ $0 != nil }) else { return nil }
      rows["\(cells[index[0]]) \(Int(start.timeIntervalSince1970))"] =
        money.compactMap { $0 } + counts.compactMap { $0 }
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
