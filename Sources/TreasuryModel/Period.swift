/// A statement period: the half-open interval [start, end) of Unix seconds, with its label.
///
/// Boundaries are local midnights in the run's time zone; the label names the
/// period in that zone (`2026-03`, `2026-W11`, `2026-Q1`, …).
package struct Period: Hashable, Sendable, Comparable {
  package var start: Int64
  package var end: Int64
  package var label: String

  package init(start: Int64, end: Int64, label: String) {
    self.start = start
    self.end = end
    self.label = label
  }

  package static func < (a: Self, b: Self) -> Bool { (a.start, a.end) < (b.start, b.end) }
}
