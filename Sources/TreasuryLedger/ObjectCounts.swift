import TreasuryModel

/// How many objects a run read and what deduplication did with them.
package struct ObjectCounts: Sendable, Equatable, Codable {
  package var transactions = 0
  package var entries = 0
  package var financialAccounts = 0
  package var accounts = 0
  /// Objects of types the tool does not read, by `object` value.
  package var ignored: [String: Int] = [:]
  /// Further copies of an object in the state that was kept (exact repeats,
  /// and same-state copies that differed and were settled by rule).
  package var duplicatesDropped = 0
  /// Copies of a transaction in an earlier state (`open`) than the kept one (`posted`/`void`).
  package var staleCopiesSuperseded = 0
  /// Transactions whose same-state copies differed (in text, or while open); one was kept by a fixed rule.
  package var differingCopies = 0

  package init() {}

  package var read: Int { transactions + entries + financialAccounts + accounts + ignored.values.reduce(0, +) }

  package mutating func add(_ other: ObjectCounts) {
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
package struct CopyConflict: Sendable, Equatable {
  package init(id: String, detail: String, first: SourceLocation, second: SourceLocation) {
    self.id = id
    self.detail = detail
    self.first = first
    self.second = second
  }

  package var id: String
  package var detail: String
  package var first: SourceLocation
  package var second: SourceLocation
}

/// The first place each `livemode` value was seen.
package struct LivemodeSeen: Sendable, Equatable {
  package init() {}

  package var live: SourceLocation?
  package var test: SourceLocation?

  package mutating func note(_ livemode: Bool, _ source: SourceLocation) {
    if livemode {
      if live.map({ source < $0 }) ?? true { live = source }
    } else {
      if test.map({ source < $0 }) ?? true { test = source }
    }
  }

  package mutating func merge(_ other: LivemodeSeen) {
    if let live = other.live { note(true, live) }
    if let test = other.test { note(false, test) }
  }

  package var isMixed: Bool { live != nil && test != nil }
}
