/// A bank statement for one financial account, currency and period.
///
/// Balances come from entries (effective before the period's start and end);
/// credits and debits from transactions posted in the period. The two are
/// independent, so `difference` is a real check, not an identity by construction.
public struct Statement: Sendable {
  public var key: StatementKey
  /// The connected account (`acct_…`), or empty for the platform.
  public var account: String
  public var header: FinancialAccountInfo?
  public var opening: SubBalances
  public var closing: SubBalances
  public var credits: Int64
  public var debits: Int64
  public var postedCount: Int
  public var voidCount: Int
  /// Transactions open at the period's end (listed apart, never in the totals).
  public var openCount: Int
  public var bookedLines: [BookedLine] = []
  public var pendingLines: [PendingLine] = []
  public var voidedLines: [TransactionRecord] = []
  public var entryLines: [EntryLine] = []

  /// (closing booked − opening booked) − (credits − debits); zero when the statement reconciles.
  public var difference: Int64 { (closing.booked - opening.booked) - (credits - debits) }

  public var isReconciled: Bool { difference == 0 }

  /// Whether a line of signed `amount` is a credit: a zero amount counts as one.
  ///
  /// Every format says the same: camt.053's CRDT indicator and credit count,
  /// BAI2's detail type codes and 100 count, OFX's transaction types and the
  /// HTML page's credit column and count.
  public static func isCredit(_ amount: Int64) -> Bool { amount >= 0 }

  /// Booked lines that are credits (`isCredit`).
  public var creditLineCount: Int { bookedLines.count { Self.isCredit($0.transaction.amount) } }

  /// Booked lines that are debits: the rest.
  public var debitLineCount: Int { bookedLines.count - creditLineCount }

  /// The statement without its lines (what the summary keeps).
  public var totalsOnly: Statement {
    var copy = self
    copy.bookedLines = []
    copy.pendingLines = []
    copy.voidedLines = []
    copy.entryLines = []
    return copy
  }
}

/// A transaction posted in the period, with the booked balance after it.
public struct BookedLine: Sendable {
  public var transaction: TransactionRecord
  public var runningBooked: Int64
}

/// A transaction open at the period's end, with what its entries had moved by then.
public struct PendingLine: Sendable {
  public var transaction: TransactionRecord
  public var impactAtEnd: SubBalances
}

/// An entry effective in the period, with the sub-balances after it.
public struct EntryLine: Sendable {
  public var entry: EntryRecord
  public var running: SubBalances
}
