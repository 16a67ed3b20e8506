import Foundation
import TreasuryLedger
@_spi(Inlining) import TreasuryModel
import TreasuryRender

/// Which periods a run makes statements for, resolved from `--tz`, `--interval`, `--period`, `--from` and `--to`.
package struct PeriodPlan: Sendable {
  package enum Selection: Sendable, Equatable {
    /// Exactly these periods.
    case fixed([Period])
    /// Every period from the first to the last activity in the input, optionally clipped to [start, end).
    case fromData(start: Int64?, end: Int64?)
  }

  package let calendar: PeriodCalendar
  package let selection: Selection
  /// `--max-periods`: the most periods a run's statements may span.
  package let maxPeriods: Int

  /// The default `--max-periods`: the periods of 50 years (600 months), so that a mistyped year is caught whatever
  /// the interval while daily statements over years of data are not.
  package static func defaultMaxPeriods(_ interval: Interval) -> Int {
    switch interval {
    case .day: return 18_263
    case .week: return 2_609
    case .month: return 600
    case .quarter: return 200
    case .year: return 50
    case .range: return 1
    }
  }

  package init(options: StatementsOptions) throws(JobError) {
    if let limit = options.maxPeriods, limit < 1 { throw .usage("--max-periods must be at least 1, found \(limit)") }
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
      maxPeriods = options.maxPeriods ?? Self.defaultMaxPeriods(parsed.interval)
      selection = .fixed([calendar.period(startingOn: parsed.first)])
      return
    }

    let interval = options.interval ?? .month
    calendar = PeriodCalendar(zone: zone, interval: interval)
    maxPeriods = options.maxPeriods ?? Self.defaultMaxPeriods(interval)
    if interval == .range {
      guard let from, let to else { throw .usage("--interval range needs both --from and --to") }
      selection = .fixed([calendar.range(from: from, to: to)])
    } else if let from, let to {
      guard
        let periods = calendar.periods(
          fromPeriodHolding: calendar.start(of: from), startingBefore: calendar.start(of: to), atMost: maxPeriods)
      else {
        throw .usage(
          "--from \(from.iso) --to \(to.iso) makes more than \(maxPeriods) \(interval.rawValue) periods (--max-periods); narrow the range, choose a longer --interval (or --interval range), or raise --max-periods"
        )
      }
      selection = .fixed(periods)
    } else {
      selection = .fromData(start: from.map(calendar.start(of:)), end: to.map(calendar.start(of:)))
    }
  }

  /// True when the periods depend on the data (and ledgers need tails).
  package var isDataDriven: Bool {
    if case .fromData = selection { return true }
    return false
  }

  /// The periods for activity between `first` and `last` (inclusive instants).
  ///
  /// Whole periods: from the one holding `first` (or `--from`, when later)
  /// through the one holding `last`, stopping before `--to`. A period that a
  /// clip date cuts is still made whole, so its statement counts all that
  /// moved in it. Periods before `first` are left out: no ledger has a
  /// statement there. Every later period of the run starts after `last`,
  /// which is what lets a ledger's tail stand in for it.
  package func periods(first: Int64, last: Int64) throws(TooManyPeriods) -> [Period] {
    switch selection {
    case .fixed(let periods):
      return periods
    case .fromData(let start, let end):
      guard first <= last else { return [] }
      let from = max(start ?? first, first)
      // Periods starting at or before `last` and before `--to`.
      let limit = min(end ?? .max, last < .max ? last + 1 : .max)
      guard let periods = calendar.periods(fromPeriodHolding: from, startingBefore: limit, atMost: maxPeriods) else {
        throw TooManyPeriods(
          first: calendar.period(containing: from), last: calendar.period(containing: min(last, limit - 1)),
          byFrom: from > first, byTo: limit <= last)
      }
      return periods
    }
  }

  /// The periods for the activity of `span`, or the refusal to report (the span's objects named, found by
  /// `path`).
  func periods(_ span: ActivitySpan, path: (SourceLocation) -> String) throws(JobError) -> [Period] {
    do {
      return try periods(first: span.firstTime, last: span.lastTime)
    } catch {
      throw .periodSpan(messages(error, span, path: path))
    }
  }

  private func messages(_ error: TooManyPeriods, _ span: ActivitySpan, path: (SourceLocation) -> String) -> [String] {
    let time = LocalTimeFormatter(zone: calendar.zone)
    func end(_ mark: ActivitySpan.End?, _ which: String) -> String {
      guard let mark else { return "" }
      return "\(path(mark.source)): the \(which) activity: \(mark.id.abbreviated()) at \(time.string(mark.time))"
    }
    return [
      "error: the statements would span more than \(maxPeriods) \(calendar.interval.rawValue) periods (--max-periods), from \(error.first.label) to \(error.last.label)",
      error.byFrom ? "the first period holds --from" : end(span.first, "earliest"),
      error.byTo ? "the last period ends at --to" : end(span.last, "latest"),
    ]
  }
}

/// Activity that spans more periods than `--max-periods`: the first and last period it would make, and whether
/// `--from` or `--to` (rather than the activity) set them.
package struct TooManyPeriods: Error, Sendable, Equatable {
  package var first: Period
  package var last: Period
  package var byFrom: Bool
  package var byTo: Bool
}
