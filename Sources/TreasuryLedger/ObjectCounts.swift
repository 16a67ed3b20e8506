@_spi(Inlining) import TreasuryModel

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
