import TreasuryLedger
@_spi(Inlining) import TreasuryModel

/// The daily closing booked balance of a statement, as an SVG step line for the HTML statement.
///
/// Day by day from the opening booked balance, each booked line moving its
/// posting day's close (the same running balance as the lines table). Only
/// the drawing uses floating point; every label is an exact amount.
package struct BalanceChart: Sendable {
  package static let width = 640
  package static let height = 150
  /// Room on the left for the axis labels.
  static let left = 8
  static let top = 10
  static let bottom = 10

  /// Each local day of the period with its closing booked balance.
  package private(set) var days: [(date: CivilDate, close: Int64)] = []
  /// The lowest and highest daily close (0 without days), found once: `y` needs them for every day.
  package private(set) var lowest: Int64 = 0
  package private(set) var highest: Int64 = 0

  package init(_ statement: Statement, time: LocalTimeFormatter) {
    let first = time.localDate(statement.key.period.start)
    let last = time.localDate(statement.key.period.end - 1)
    var balance = statement.opening.booked
    var lines = statement.bookedLines[...]
    var day = first
    while day <= last {
      let nextDay = day.adding(days: 1)
      while let line = lines.first {
        let posted = time.localDate(line.transaction.postedAt ?? line.transaction.created)
        guard posted < nextDay else { break }
        balance = line.runningBooked
        lines = lines.dropFirst()
      }
      days.append((day, balance))
      day = nextDay
    }
    lowest = days.lazy.map(\.close).min() ?? 0
    highest = days.lazy.map(\.close).max() ?? 0
  }

  /// The y coordinate of a balance: the range from min(lowest, 0) to max(highest, 0) fills the height.
  func y(_ value: Int64) -> Double {
    let low = min(lowest, 0)
    let high = max(highest, 0)
    let span = Double(high - low)
    let usable = Double(Self.height - Self.top - Self.bottom)
    guard span > 0 else { return Double(Self.height - Self.bottom) }
    return Double(Self.top) + usable * Double(high - value) / span
  }

  /// The SVG path of the step line: one horizontal stretch per day, joined by vertical steps.
  package var path: String {
    guard !days.isEmpty else { return "" }
    let step = Double(Self.width - Self.left) / Double(days.count)
    var d = ""
    for (i, day) in days.enumerated() {
      let x0 = Double(Self.left) + step * Double(i)
      let x1 = x0 + step
      let y = Self.format(self.y(day.close))
      d += (i == 0 ? "M" : "L") + Self.format(x0) + " " + y + "H" + Self.format(x1)
    }
    return d
  }

  /// The y of the zero line, when zero lies inside the drawn range.
  package var zeroY: String { Self.format(y(0)) }

  static func format(_ value: Double) -> String {
    let rounded = (value * 10).rounded() / 10
    return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
  }
}
