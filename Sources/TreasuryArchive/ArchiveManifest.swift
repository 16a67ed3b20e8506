import Foundation
import TreasuryLedger
import TreasuryModel
import TreasuryOutput
import TreasuryRender

/// The `manifest.json` inside a period archive: every other member with its size, SHA-256 and rows, and each
/// statement's control totals.
///
/// It is the archive's last member, so that it describes the exact bytes
/// streamed before it. It depends only on the period's statements and the
/// tool's version, never on inputs outside the period or the wall clock, so
/// re-running the job on more data leaves a closed period's archive
/// byte-identical. Money is text in major units, as in the CSV files.
package struct ArchiveManifest: Codable, Sendable {
  /// Names what this file is, for someone who finds it in five years.
  package static let kind = "treasury-report period archive"

  package var tool = Manifest.toolName
  package var kind = ArchiveManifest.kind
  package var version: String
  package var period: ArchivePeriod
  /// Every member but this manifest, sorted by path.
  package var members: [OutputFile]
  package var statements: [StatementControl]

  package init(version: String, period: ArchivePeriod, members: [OutputFile], statements: [StatementControl]) {
    self.version = version
    self.period = period
    self.members = members
    self.statements = statements
  }

  package func encoded() throws -> [UInt8] { try canonicalJSON() }
}

/// The period an archive holds, as its statements show it.
package struct ArchivePeriod: Codable, Sendable, Hashable {
  package var label: String
  /// Local time with offset, as in `summary.csv`; `end` is exclusive.
  package var start: String
  package var end: String
  package var timeZone: String
  package var interval: String

  package init(_ period: Period, time: LocalTimeFormatter, interval: Interval) {
    label = period.label
    start = time.string(period.start)
    end = time.string(period.end)
    timeZone = time.zone.identifier
    self.interval = interval.rawValue
  }

  enum CodingKeys: String, CodingKey {
    case label, start, end
    case timeZone = "time_zone"
    case interval
  }
}

/// One statement's control totals: what an auditor ties the CSV files back to.
package struct StatementControl: Codable, Sendable, Hashable {
  package var financialAccount: String
  package var account: String
  package var currency: String
  /// The statement's files in the archive (none with `--format summary`).
  package var files: [String]
  package var opening: BalanceControl
  package var closing: BalanceControl
  package var credits: String
  package var debits: String
  package var postedCount: Int
  package var voidCount: Int
  package var openCount: Int
  /// closing booked − opening booked − (credits − debits); "0.00" when it reconciles.
  package var difference: String
  package var reconciled: Bool

  package init(_ s: Statement, files: [String]) {
    let digits = Money.minorDigits(currency: s.key.currency)
    financialAccount = s.key.financialAccount
    account = s.account
    currency = s.key.currency
    self.files = files
    opening = BalanceControl(s.opening, digits: digits)
    closing = BalanceControl(s.closing, digits: digits)
    credits = DecimalAmount.string(s.credits, digits: digits)
    debits = DecimalAmount.string(s.debits, digits: digits)
    postedCount = s.postedCount
    voidCount = s.voidCount
    openCount = s.openCount
    difference = DecimalAmount.string(s.difference, digits: digits)
    reconciled = s.isReconciled
  }

  enum CodingKeys: String, CodingKey {
    case financialAccount = "financial_account"
    case account, currency, files, opening, closing, credits, debits
    case postedCount = "posted_count"
    case voidCount = "void_count"
    case openCount = "open_count"
    case difference, reconciled
  }
}

/// Sub-balances and their booked sum, in major units.
package struct BalanceControl: Codable, Sendable, Hashable {
  package var cash: String
  package var inboundPending: String
  package var outboundPending: String
  package var booked: String

  package init(_ b: SubBalances, digits: Int) {
    cash = DecimalAmount.string(b.cash, digits: digits)
    inboundPending = DecimalAmount.string(b.inboundPending, digits: digits)
    outboundPending = DecimalAmount.string(b.outboundPending, digits: digits)
    booked = DecimalAmount.string(b.booked, digits: digits)
  }

  enum CodingKeys: String, CodingKey {
    case cash
    case inboundPending = "inbound_pending"
    case outboundPending = "outbound_pending"
    case booked
  }
}
