/// `restatement.csv` beside a new version: what changed from the version it restates.
///
/// One row per changed summary field (old value, new value), then one per booked or pending line added, removed
/// or changed (by transaction id; the running balance column is left out, since one late line moves it on every
/// later line). Rows are in a fixed order, so the same change always gives the same bytes.
enum Restatement {
  static let name = "restatement.csv"
  static let header = ["change", "item", "old", "new"]

  static func csv(
    oldSummary: [String: String], new: BuiltStatement, oldBooked: CSVTable, oldPending: CSVTable
  ) -> (text: String, changes: Int) {
    var rows: [[String]] = []
    let newRow = new.summary.rows.first ?? []
    for (i, column) in new.summary.header.enumerated() {
      let value = i < newRow.count ? newRow[i] : ""
      let old = oldSummary[column] ?? ""
      if old != value { rows.append(["summary", column, old, value]) }
    }
    rows += lines("booked", old: oldBooked, new: new.booked)
    rows += lines("pending", old: oldPending, new: new.pending)
    return (CSVTable.line(header) + rows.map(CSVTable.line).joined(), rows.count)
  }

  /// Lines added, removed and changed, keyed by their `id` column, in id order.
  static func lines(_ kind: String, old: CSVTable, new: CSVTable) -> [[String]] {
    func keyed(_ table: CSVTable) -> [String: String] {
      let skip = Set(["running_booked_balance"])
      var result: [String: String] = [:]
      for row in table.rows {
        let cells = table.header.enumerated().filter { !skip.contains($0.element) }.map { i, column in
          column + "=" + (i < row.count ? row[i] : "")
        }
        result[table.value(row, "id")] = cells.joined(separator: "; ")
      }
      return result
    }
    let before = keyed(old)
    let after = keyed(new)
    var rows: [[String]] = []
    for id in Set(before.keys).union(after.keys).sorted() {
      switch (before[id], after[id]) {
      case (nil, let added?): rows.append([kind + "_line_added", id, "", added])
      case (let removed?, nil): rows.append([kind + "_line_removed", id, removed, ""])
      case (let a?, let b?) where a != b: rows.append([kind + "_line_changed", id, a, b])
      default: break
      }
    }
    return rows
  }
}
