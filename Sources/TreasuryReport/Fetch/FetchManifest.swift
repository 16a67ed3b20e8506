import Foundation

/// `DUMPS/fetch-manifest.json`: what the dumps hold and how they were fetched (never the key, never wall-clock time).
public struct FetchManifest: Codable, Sendable, Equatable {
  public static let fileName = "fetch-manifest.json"

  public var tool = Manifest.toolName
  public var version = TreasuryReportVersion.string
  /// The `Stripe-Version` every request pinned.
  public var stripeVersion: String
  public var apiBase: String
  /// `live` or `test`, from the key's prefix.
  public var mode: APIKey.Mode
  public var since: Int64?
  public var overlapSeconds: Int64
  /// True when every account of the last run was fetched and committed.
  public var complete: Bool
  /// `GET /v1/accounts` in the last run (`--all-accounts`).
  public var accountsList: ListStats?
  public var accounts: [Account]
  /// The last run's requests, retries, pages and objects over all lists.
  public var totals: ListStats

  public struct Account: Codable, Sendable, Equatable {
    /// The folder under DUMPS: `acct_…` or `platform`.
    public var folder: String
    /// `complete` or `failed` (then `errors` says why; the dump holds the previous run's data).
    public var status: String
    /// False for folders fetched by an earlier run and not selected in the last one.
    public var inLastRun: Bool
    public var financialAccounts: [String]
    /// Per list (`financial_accounts`, `transactions`, `transaction_entries`).
    public var lists: [String: ListStats]
    public var balanceNotes: [String]
    public var errors: [String]

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
    case accounts, totals
  }

}
