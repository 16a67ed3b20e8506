import Crypto
import Foundation
@_spi(Inlining) import TreasuryModel

/// One statement a run built in its working folder: its key, period, files and content digest.
///
/// The content is what the statement states (domain.md, "Final statements and restatements"): its summary row,
/// its booked lines (`transactions.csv`) and its pending lines as of the period's end (`pending.csv`); the voided
/// count is a summary column. The digest is over those, not over the files of every format, so a camt.053 file
/// whose creation time moved does not make a statement "different".
struct BuiltStatement: Sendable {
  var financialAccount: String
  var currency: String
  /// The period label (`2026-03`).
  var period: String
  /// The period's end, Unix seconds.
  var end: Int64
  /// The summary.csv header and this statement's row.
  var summary: CSVTable
  /// Files relative to the working folder (`2026-03/fa_…/transactions.csv`).
  var files: [String]
  var booked: CSVTable
  var pending: CSVTable
  var digest: String

  /// The statement's folder under the storage target, without the version (`2026-03/fa_…/usd`).
  var folder: String { period + "/" + financialAccount + "/" + currency }

  /// `(financial account, currency, period)`, the index's key for a statement.
  var id: String { financialAccount + "/" + currency + "/" + period }

  /// Every statement of a `statements` output folder, from its summary.csv and statement folders.
  static func all(in folder: String, interval: Interval) throws(RunError) -> [BuiltStatement] {
    let summaryPath = folder + "/summary.csv"
    guard let data = FileManager.default.contents(atPath: summaryPath) else {
      throw .io(path: summaryPath, reason: "the statements run wrote no summary.csv")
    }
    let summary = try CSVTable(data: data, name: summaryPath)
    var currenciesByFolder: [String: Set<String>] = [:]
    var keyed: [(String, String, String, Int64, [String])] = []
    for row in summary.rows {
      let fa = summary.value(row, "financial_account")
      let currency = summary.value(row, "currency")
      let start = summary.value(row, "period_start")
      guard let label = Self.label(start, interval), let end = Self.instant(summary.value(row, "period_end")) else {
        throw .io(path: summaryPath, reason: "a summary row with a period the run cannot read: \(start)")
      }
      currenciesByFolder[label + "/" + fa, default: []].insert(currency)
      keyed.append((fa, currency, label, end, row))
    }
    var statements: [BuiltStatement] = []
    for (fa, currency, label, end, row) in keyed {
      let statementFolder = label + "/" + fa
      let others = currenciesByFolder[statementFolder, default: []].subtracting([currency])
      let names = (try? FileManager.default.contentsOfDirectory(atPath: folder + "/" + statementFolder)) ?? []
      let mine = names.filter { name in
        let suffix = currency == "usd" ? nil : "." + currency + "."
        if let suffix { return name.contains(suffix) }
        return !others.contains { name.contains("." + $0 + ".") }
      }.sorted()
      let suffix = currency == "usd" ? "" : "." + currency
      let booked = try Self.table(folder + "/" + statementFolder + "/transactions" + suffix + ".csv")
      let pending = try Self.table(folder + "/" + statementFolder + "/pending" + suffix + ".csv")
      let one = CSVTable(header: summary.header, rows: [row])
      var hasher = SHA256()
      for part in [
        "summary\n", CSVTable.line(one.header), CSVTable.line(row), "booked\n", CSVTable.line(booked.header),
      ] + booked.rows.map(CSVTable.line) + ["pending\n", CSVTable.line(pending.header)]
        + pending.rows.map(CSVTable.line)
      {
        hasher.update(data: Data(part.utf8))
      }
      statements.append(
        BuiltStatement(
          financialAccount: fa, currency: currency, period: label, end: end, summary: one,
          files: mine.map { statementFolder + "/" + $0 }, booked: booked, pending: pending,
          digest: Hex.string(hasher.finalize())))
    }
    return statements.sorted {
      ($0.period, $0.financialAccount, $0.currency) < ($1.period, $1.financialAccount, $1.currency)
    }
  }

  static func table(_ path: String) throws(RunError) -> CSVTable {
    guard let data = FileManager.default.contents(atPath: path) else { return CSVTable(header: [], rows: []) }
    return try CSVTable(data: data, name: path)
  }

  /// `2026-03-01T00:00:00-05:00` → Unix seconds.
  static func instant(_ text: String) -> Int64? {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.date(from: text).map { Int64($0.timeIntervalSince1970) }
  }

  /// The period label of a period starting at `start` (local date first): `2026-03`, `2026-Q1`, `2026-W11`…
  static func label(_ start: String, _ interval: Interval) -> String? {
    guard start.count >= 10, let date = CivilDate(iso: String(start.prefix(10))) else { return nil }
    let year = String(start.prefix(4))
    switch interval {
    case .day, .range: return String(start.prefix(10))
    case .month: return String(start.prefix(7))
    case .quarter: return year + "-Q\((date.month - 1) / 3 + 1)"
    case .year: return year
    case .week:
      let week = date.isoWeek
      return String(format: "%04d-W%02d", week.year, week.week)
    }
  }
}
