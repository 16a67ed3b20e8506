import Foundation

/// The `manifest.json` inside a period archive: every other member with its size, SHA-256 and rows, and each
/// statement's control totals.
///
/// It is the archive's last member, so that it describes the exact bytes
/// streamed before it. It depends only on the period's statements and the
/// tool's version, never on inputs outside the period or the wall clock, so
/// re-running the job on more data leaves a closed period's archive
/// byte-identical. Money is text in major units, as in the CSV files.
public struct ArchiveManifest: Codable, Sendable {
  /// Names what this file is, for someone who finds it in five years.
  public static let kind = "treasury-report period archive"

  public var tool = Manifest.toolName
  public var kind = ArchiveManifest.kind
  public var version: String
  public var period: ArchivePeriod
  /// Every member but this manifest, sorted by path.
  public var members: [OutputFile]
  public var statements: [StatementControl]

  public init(version: String, period: ArchivePeriod, members: [OutputFile], statements: [StatementControl]) {
    self.version = version
    self.period = period
    self.members = members
    self.statements = statements
  }

  public func encoded() throws -> [UInt8] { try canonicalJSON() }
}

/// The period an archive holds, as its statements show it.
public struct ArchivePeriod: Codable, Sendable, Hashable {
  public var label: String
  /// Local time with offset, as in `summary.csv`; `end` is exclusive.
  public var start: String
  public var end: String
  public var timeZone: String
  public var interval: String

  public init(_ period: Period, time: LocalTimeFormatter, interval: Interval) {
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
public struct StatementControl: Codable, Sendable, Hashable {
  public var financialAccount: String
  public var account: String
  public var currency: String
  /// The statement's files in the archive (none with `--format summary`).
  public var files: [String]
  public var opening: BalanceControl
  public var closing: BalanceControl
  public var credits: String
  public var debits: String
  public var postedCount: Int
  public var voidCount: Int
  public var openCount: Int
  /// closing booked − opening booked − (credits − debits); "0.00" when it reconciles.
  public var difference: String
  public var reconciled: Bool

  public init(_ s: Statement, files: [String]) {
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
public struct BalanceControl: Codable, Sendable, Hashable {
  public var cash: String
  public var inboundPending: String
  public var outboundPending: String
  public var booked: String

  public init(_ b: SubBalances, digits: Int) {
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
