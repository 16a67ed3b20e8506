import Foundation
import TreasuryInput
import TreasuryLedger
@_spi(Inlining) import TreasuryModel
import TreasuryOutput
import TreasuryPartition

/// Reads, checks and renders one unit.
struct UnitWorker: Sendable {
  let options: StatementsOptions
  let plan: PeriodPlan
  let folder: OutputFolder
  let progress: ReadProgress?
  /// `--as-of`, if given; otherwise the unit's latest activity dates its camt.053 documents.
  let asOf: Int64?
  /// The CSV profiles and HTML template, resolved before any input was read.
  let exports: StatementExports
  /// `--only`: the financial accounts whose statements are built (the others are read and checked, not written).
  var filter = AccountFilter.all
  /// Where standard input was copied (`StandardInputCopy`), if it is an input.
  var standardInputCopy: String? = nil
  /// The run-wide id check: every reader notes its copies there.
  let ids: IdIndex
  /// The run's unusable lines: every reader reports them there.
  let rejects: RejectLog
  /// Counts busy threads, in tests (`StatementsJob.busyThreads`).
  var busy: BusyThreads? = nil

  var writesStatementFiles: Bool { options.writesStatementFiles }

  /// Where `file`'s bytes are: the file itself, or standard input's copy.
  func location(of file: InputFile) -> String {
    StandardInputCopy.location(of: file, copy: standardInputCopy)
  }

  /// Processes one unit small enough to hold (big ones go through `PartitionedUnit`); `buffer`, `store` and
  /// `rejects` are the calling worker's, reused from unit to unit.
  func process(
    _ unit: Unit, buffer: ReadBuffer, store: inout LedgerStore, rejects: inout RejectCollector
  ) -> UnitResult {
    var result = UnitResult(account: unit.account)
    store.removeAll()
    var reader = DumpFileReader(keepsText: writesStatementFiles, buffer: buffer)
    let rejectedBefore = rejects.count
    for (index, file) in unit.files {
      do throws(InputError) {
        rejects.begin(file: index, firstLine: 1)
        let stats = try reader.read(
          file, from: location(of: file), index: index, into: &store, invalid: &rejects, progress: progress)
        result.stats.append((index, stats))
        progress?.fileDone()
      } catch {
        result.rejected = rejects.count - rejectedBefore
        result.failure = .input(error)
        return result
      }
    }
    result.rejected = rejects.count - rejectedBefore
    if let failure = rejects.failure {
      result.failure = .partition(failure)
      return result
    }
    result.counts = store.counts
    result.conflicts = store.conflicts
    result.livemode = store.livemode
    result.span = store.activitySpan
    result.financialAccounts = store.financialAccounts
    result.connectedAccounts = store.connectedAccounts
    if result.stopsRun(skipInvalid: options.skipInvalid) { return result }

    let periods: [Period]
    do throws(JobError) {
      periods = try plan.periods(result.span, path: unit.path)
    } catch {
      result.failure = error
      return result
    }
    result.coveredUntil = periods.last?.end ?? .min
    buildStatements(
      from: store, periods: periods, unit: unit, headers: store.financialAccounts,
      reportedBalances: store.reportedBalances, unitLastActivity: store.lastActivity, into: &result)
    checkUnledgeredBalances(store.financialAccounts, store.reportedBalances, into: &result)
    return result
  }

  /// Turns a store's ledgers into statements (and their files), tails and cross-check results.
  ///
  /// `unitLastActivity`: the latest activity of the whole unit (a partition's store sees only part of it),
  /// which dates camt.053 documents when `--as-of` is not given.
  func buildStatements(
    from store: LedgerStore, periods: [Period], unit: Unit, headers: [String: FinancialAccountInfo],
    reportedBalances: ReportedBalances, unitLastActivity: Int64, into result: inout UnitResult
  ) {
    let account = unit.account
    let builder = StatementBuilder(includeLines: writesStatementFiles)
    var files = StatementFiles(folder: folder, zone: plan.calendar.zone, options: options, exports: exports)
    files.locate = unit.path
    let dataAsOf = asOf ?? unitLastActivity
    let symbols = store.symbols
    var crossChecks = CrossChecks()
    do throws(JobError) {
      for ledger in store.ledgers() {
        let fa = symbols.string(ledger.financialAccount)
        result.ledgerCurrencies.append((fa, symbols.string(ledger.currency), ledger.firstSeen))
        guard filter.includes(fa, of: account) else { continue }
        let tail = try builder.build(
          ledger, periods: periods, symbols: symbols, account: account, header: headers[fa],
          emit: { (statement) throws(JobError) in
            if writesStatementFiles { try files.write(statement, symbols: symbols, asOf: dataAsOf) }
            result.statements.append(statement.totalsOnly)
          },
          failure: JobError.ledger)
        if plan.isDataDriven { result.tails.append(tail) }
        result.checks += crossChecks.run(ledger, symbols: symbols, reportedBalances: reportedBalances)
      }
    } catch {
      result.failure = error
    }
  }

  /// A financial_account object with money in a currency the dump has no entries for is a gap in the dump.
  ///
  /// One failure per financial account and currency, showing every distinct cash value its copies report
  /// (sorted), so the text never depends on which copy came first.
  func checkUnledgeredBalances(
    _ accounts: [String: FinancialAccountInfo], _ reportedBalances: ReportedBalances, into result: inout UnitResult
  ) {
    let covered = Set(result.ledgerCurrencies.map { $0.account + " " + $0.currency })
    for (id, info) in accounts.sorted(by: { $0.key < $1.key }) where filter.includes(id, of: result.account) {
      for currency in reportedBalances.currencies(of: id) where !covered.contains(id + " " + currency) {
        let nonZero = reportedBalances.balances(of: id, in: currency).filter { !$0.isZero }
        guard !nonZero.isEmpty else { continue }
        let digits = Money.minorDigits(currency: currency)
        let cash = Set(nonZero.map(\.cash)).sorted().map { "cash " + DecimalAmount.string($0, digits: digits) }
        result.checks.append(
          CheckFailure(
            check: .reportedBalance, financialAccount: id, currency: currency, object: info.id,
            detail:
              "the financial_account object reports a \(currency) balance (\(cash.joined(separator: "; or "))) but the dump holds no \(currency) entries for it"
          ))
      }
    }
  }
}
