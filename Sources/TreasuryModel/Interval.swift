/// How the timeline is cut into statement periods.
public enum Interval: String, Sendable, CaseIterable {
  case day, week, month, quarter, year
  /// One period given by `--from` and `--to`.
  case range
}
