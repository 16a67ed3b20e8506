@_spi(Inlining) import TreasuryModel

/// A bank statement for one financial account, currency and period.
///
/// Balances come from entries (effective before the period's start and end);
/// credits and debits from transactions posted in the period. The two are
/// independent, so `difference` is a real check, not an identity by construction.
package struct Statement: Sendable {
  package var key: StatementKey
  /// The connected account (`acct_…`), or empty for the platform.
  package var account: String
  package var header: FinancialAccountInfo?
  package var opening: SubBalances
  package var closing: SubBalances
  package var credits: Int64
  package var debits: Int64
  package var postedCount: Int
  package var voidCount: Int
  /// Transactions open at the period's end (listed apart, never in the totals).
  package var openCount: Int
  package var bookedLines: [BookedLine] = []
  package var pendingLines: [PendingLine] = []
  package var voidedLines: [TransactionRecord] = []
  package var entryLines: [EntryLine] = []

  /// (closing booked − opening booked) − (credits − debits); zero when the statement reconciles.
  package var difference: Int64 { (closing.booked - opening.booked) - (credits - debits) }

  package var isReconciled: Bool { difference == 0 }

  /// Whether a line of signed `amount` is a credit: a zero amount counts as one.
  ///
  /// Every format says the same: camt.053's CRDT indicator and credit count,
  /// BAI2's detail type codes and 100 count, OFX's transaction types and the
  /// HTML page's credit column and count.
  package static func isCredit(_ amount: Int64) -> Bool { amount >= 0 }

  /// Booked lines that are credits (`isCredit`).
  package var creditLineCount: Int { bookedLines.count { Self.isCredit($0.transaction.amount) } }

  /// Booked lines that are debits: the rest.
  package var debitLineCount: Int { bookedLines.count - creditLineCount }

  /// The statement without its lines (what the summary keeps).
  package var totalsOnly: Statement {
    var copy = self
    copy.bookedLines = []
    copy.pendingLines = []
    copy.voidedLines = []
    copy.entryLines = []
    return copy
  }
}
