import Foundation

/// Which periods a run makes statements for, resolved from `--tz`, `--interval`, `--period`, `--from` and `--to`.
public struct PeriodPlan: Sendable {
  public enum Selection: Sendable, Equatable {
    /// Exactly these periods.
    case fixed([Period])
    /// Every period from the first to the last activity in the input, optionally clipped to [start, end).
    case fromData(start: Int64?, end: Int64?)
  }

  public let calendar: PeriodCalendar
  public let selection: Selection

  public init(options: StatementsOptions) throws(JobError) {
    guard let zone = TimeZone(identifier: options.timeZone) else {
      throw .usage("unknown time zone '\(options.timeZone)' for --tz; use an IANA name such as UTC or America/New_York")
    }
    func date(_ text: String?, _ flag: String) throws(JobError) -> CivilDate? {
      guard let text else { return nil }
      guard let date = CivilDate(iso: text) else {
        throw .usage("\(flag) takes a date as YYYY-MM-DD, found '\(text)'")
      }
      if let problem = CivilDate.flagRangeProblem(date, flag: flag, text: text) { throw .usage(problem) }
      return date
    }
    let from = try date(options.from, "--from")
    let to = try date(options.to, "--to")
    if let from, let to, from >= to {
      throw .usage("--from \(from.iso) must be before --to \(to.iso) (--to is exclusive)")
    }

    if let label = options.period {
      guard from == nil && to == nil else { throw .usage("--period cannot be combined with --from or --to") }
      guard let parsed = PeriodCalendar.parse(label: label) else {
        throw .usage("--period takes a label like 2026, 2026-Q1, 2026-03, 2026-W11 or 2026-03-15, found '\(label)'")
      }
      if let problem = CivilDate.flagRangeProblem(parsed.first, flag: "--period", text: label) { throw .usage(problem) }
      if let interval = options.interval, interval != parsed.interval {
        throw .usage(
          "--period \(label) is a \(parsed.interval.rawValue); it does not go with --interval \(interval.rawValue)")
      }
      calendar = PeriodCalendar(zone: zone, interval: parsed.interval)
      selection = .fixed([calendar.period(startingOn: parsed.first)])
      return
    }

    let interval = options.interval ?? .month
    calendar = PeriodCalendar(zone: zone, interval: interval)
    if interval == .range {
      guard let from, let to else { throw .usage("--interval range needs both --from and --to") }
      selection = .fixed([calendar.range(from: from, to: to)])
    } else if let from, let to {
      selection = .fixed(calendar.periods(overlapping: calendar.start(of: from), calendar.start(of: to)))
    } else {
      selection = .fromData(start: from.map(calendar.start(of:)), end: to.map(calendar.start(of:)))
    }
  }

  /// True when the periods depend on the data (and ledgers need tails).
  public var isDataDriven: Bool {
    if case .fromData = selection { return true }
    return false
  }

  /// The periods for activity between `first` and `last` (inclusive instants).
  ///
  /// Whole periods: from the one holding `--from` (else `first`) through the
  /// one holding `last`, stopping before `--to`. A period that a clip date
  /// cuts is still made whole, so its statement counts all that moved in it.
  /// Every later period of the run starts after `last`, which is what lets
  /// a ledger's tail stand in for it.
  public func periods(first: Int64, last: Int64) -> [Period] {
    switch selection {
    case .fixed(let periods):
      return periods
    case .fromData(let start, let end):
      guard first <= last else { return [] }
      // Periods starting at or before `last` and before `--to`.
      let limit = min(end ?? .max, last < .max ? last + 1 : .max)
      return calendar.periods(fromPeriodHolding: start ?? first, startingBefore: limit)
    }
  }
}
