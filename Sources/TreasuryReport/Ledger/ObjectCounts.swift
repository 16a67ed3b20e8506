/// How many objects a run read and what deduplication did with them.
public struct ObjectCounts: Sendable, Equatable, Codable {
  public var transactions = 0
  public var entries = 0
  public var financialAccounts = 0
  public var accounts = 0
  /// Objects of types the tool does not read, by `object` value.
  public var ignored: [String: Int] = [:]
  /// Further copies of an object in the state that was kept (exact repeats,
  /// and same-state copies that differed and were settled by rule).
  public var duplicatesDropped = 0
  /// Copies of a transaction in an earlier state (`open`) than the kept one (`posted`/`void`).
  public var staleCopiesSuperseded = 0
  /// Transactions whose same-state copies differed (in text, or while open); one was kept by a fixed rule.
  public var differingCopies = 0

  public init() {}

  public var read: Int { transactions + entries + financialAccounts + accounts + ignored.values.reduce(0, +) }

  public mutating func add(_ other: ObjectCounts) {
    transactions += other.transactions
    entries += other.entries
    financialAccounts += other.financialAccounts
    accounts += other.accounts
    ignored.merge(other.ignored, uniquingKeysWith: +)
    duplicatesDropped += other.duplicatesDropped
    staleCopiesSuperseded += other.staleCopiesSuperseded
    differingCopies += other.differingCopies
  }

  enum CodingKeys: String, CodingKey {
    case transactions, entries
    case financialAccounts = "financial_accounts"
    case accounts, ignored
    case duplicatesDropped = "duplicates_dropped"
    case staleCopiesSuperseded = "stale_copies_superseded"
    case differingCopies = "differing_copies"
  }
}

/// Two copies of one object that cannot both be true (a transaction both posted and void, an entry that changed).
public struct CopyConflict: Sendable, Equatable {
  public var id: String
  public var detail: String
  public var first: SourceLocation
  public var second: SourceLocation
}

/// The first place each `livemode` value was seen.
public struct LivemodeSeen: Sendable, Equatable {
  public var live: SourceLocation?
  public var test: SourceLocation?

  public mutating func note(_ livemode: Bool, _ source: SourceLocation) {
    if livemode {
      if live.map({ source < $0 }) ?? true { live = source }
    } else {
      if test.map({ source < $0 }) ?? true { test = source }
    }
  }

  public mutating func merge(_ other: LivemodeSeen) {
    if let live = other.live { note(true, live) }
    if let test = other.test { note(false, test) }
  }

  public var isMixed: Bool { live != nil && test != nil }
}
