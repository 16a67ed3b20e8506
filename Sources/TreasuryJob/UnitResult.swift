import TreasuryInput
import TreasuryLedger
@_spi(Inlining) import TreasuryModel

/// What one unit produced; merged by `StatementsJob`.
struct UnitResult: Sendable {
  var account: String
  var stats: [(index: Int32, stats: InputFileStats)] = []
  var failure: JobError?
  /// Lines of this unit that could not be used (they are in the run's `RejectLog`).
  var rejected = 0
  var counts = ObjectCounts()
  var conflicts: [CopyConflict] = []
  var livemode = LivemodeSeen()
  /// The earliest and latest activity, and their objects.
  var span = ActivitySpan()
  var firstActivity: Int64 { span.firstTime }
  var lastActivity: Int64 { span.lastTime }
  /// End of the last period this unit made statements for; later periods come from tails.
  var coveredUntil: Int64 = .min
  var statements: [Statement] = []
  var tails: [LedgerTail] = []
  var checks: [CheckFailure] = []
  var financialAccounts: [String: FinancialAccountInfo] = [:]
  /// (financial account, currency) of every ledger: which financial accounts this unit owns, and which currencies
  /// the reported-balance check covers; with the first place the ledger was seen, for messages.
  var ledgerCurrencies: [(account: String, currency: String, firstSeen: SourceLocation)] = []
  var connectedAccounts: [String: ConnectedAccountInfo] = [:]

  /// Nothing will be written: statements need not be built (but other units are still read, so that every
  /// invalid line is reported at once).
  func stopsRun(skipInvalid: Bool) -> Bool {
    failure != nil || (rejected > 0 && !skipInvalid) || !conflicts.isEmpty
  }
}
