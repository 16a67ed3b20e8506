import Foundation
@_spi(Inlining) import TreasuryModel

/// `DUMPS/fetch-manifest.json`: what the dumps hold and how they were fetched (never the key, never wall-clock time).
package struct FetchManifest: Codable, Sendable, Equatable {
  package static let fileName = "fetch-manifest.json"

  package var tool = TreasuryReportVersion.toolName
  package var version = TreasuryReportVersion.string
  /// The `Stripe-Version` every request pinned.
  package var stripeVersion: String
  package var apiBase: String
  /// `live` or `test`, from the key's prefix.
  package var mode: APIKey.Mode
  package var since: Int64?
  package var overlapSeconds: Int64
  /// True when every account of the last run was fetched and committed.
  package var complete: Bool
  /// `GET /v1/accounts` in the last run (`--all-accounts`).
  package var accountsList: ListStats?
  package var accounts: [Account]
  /// The last run's requests, retries, pages and objects over all lists.
  package var totals: ListStats
  /// `K/N` when the folder holds one shard's accounts (`fetch --shard`); absent when unsharded.
  package var shard: String? = nil

  package struct Account: Codable, Sendable, Equatable {
    /// The folder under DUMPS: `acct_…` or `platform`.
    package var folder: String
    /// `complete` or `failed` (then `errors` says why; the dump holds the previous run's data).
    package var status: String
    /// False for folders fetched by an earlier run and not selected in the last one.
    package var inLastRun: Bool
    package var financialAccounts: [String]
    /// Per list (`financial_accounts`, `transactions`, `transaction_entries`).
    package var lists: [String: ListStats]
    package var balanceNotes: [String]
    package var errors: [String]

    enum CodingKeys: String, CodingKey {
      case folder, status
      case inLastRun = "in_last_run"
      case financialAccounts = "financial_accounts"
      case lists
      case balanceNotes = "balance_notes"
      case errors
    }
  }

  enum CodingKeys: String, CodingKey {
    case tool, version
    case stripeVersion = "stripe_version"
    case apiBase = "api_base"
    case mode, since
    case overlapSeconds = "overlap_seconds"
    case complete
    case accountsList = "accounts_list"
    case accounts, totals, shard
  }

}
