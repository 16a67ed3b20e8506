import Foundation

/// One account folder's memory: per financial account, where the next run starts.
struct AccountState: Codable, Equatable {
  /// `acct_…`, or nil for the platform.
  var account: String?
  var financialAccounts: [String: Cutoffs] = [:]
  /// What the last committed run did and what the dump holds, per list.
  var lists: [String: ListStats] = [:]
  /// Financial accounts whose reported balance did not match their entries when fetched (activity during the run).
  var balanceNotes: [String] = []

  struct Cutoffs: Codable, Equatable {
    /// Server time when the last run started listing transactions / entries.
    var transactions: Int64?
    var entries: Int64?
  }

  enum CodingKeys: String, CodingKey {
    case account
    case financialAccounts = "financial_accounts"
    case lists
    case balanceNotes = "balance_notes"
  }
}
