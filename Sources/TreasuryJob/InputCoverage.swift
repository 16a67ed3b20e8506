import TreasuryInput
import TreasuryLedger
@_spi(Inlining) import TreasuryModel

/// What the inputs gave a run: no Treasury object at all is an error, a requested period without data a warning.
///
/// A scheduled job pointed at an empty file, an empty pipe or the wrong folder
/// used to exit 0 with "wrote 0 statements" and look green. Treasury objects
/// are transactions, transaction entries and financial accounts (`account`
/// objects and types the tool does not read do not count), so a run whose
/// every line was set aside by `--skip-invalid` is empty too.
enum InputCoverage {
  /// The Treasury objects among `counts`.
  static func treasuryObjects(_ counts: ObjectCounts) -> Int {
    counts.transactions + counts.entries + counts.financialAccounts
  }

  /// Refuses a run that read no Treasury object, unless `--allow-empty`; the message names the inputs.
  static func check(
    _ counts: ObjectCounts, inputs: [String], stats: [InputFileStats], rejected: Int, allowEmpty: Bool
  ) throws(JobError) {
    guard treasuryObjects(counts) == 0, !allowEmpty else { return }
    let named = inputs.prefix(5).map { $0 == "-" ? "- (standard input)" : $0 }.joined(separator: ", ")
    let lines = stats.reduce(0) { $0 + $1.lines }
    var read = "\(stats.count.counted("file")), \(lines.counted("line"))"
    if counts.read > 0 { read += ", \(counts.read.counted("object")) of other types" }
    if rejected > 0 { read += ", \(rejected.counted("invalid line")) set aside" }
    throw .noTreasuryObjects(
      "error: no Treasury objects (transactions, entries, financial accounts) read from \(named)\(inputs.count > 5 ? ", …" : "") (\(read))"
    )
  }

  /// A warning for the periods a run was asked for (`--period`, `--from`/`--to`) that got no statement: no
  /// activity in them and no opening balance.
  static func periodWarnings(_ plan: PeriodPlan, statements: [Statement]) -> [String] {
    guard case .fixed(let periods) = plan.selection else { return [] }
    let covered = Set(statements.map(\.key.period.start))
    let empty = periods.filter { !covered.contains($0.start) }.map(\.label)
    guard !empty.isEmpty else { return [] }
    let shown = empty.prefix(10).joined(separator: ", ") + (empty.count > 10 ? ", …" : "")
    if periods.count == 1 {
      return [
        "warning: the requested period \(shown) has no data (no activity in it and no opening balance in the inputs)"
      ]
    }
    return [
      "warning: \(empty.count) of the \(periods.count) requested periods have no data (no activity and no opening balance in the inputs): \(shown)"
    ]
  }
}
