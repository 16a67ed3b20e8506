import TreasuryHTTP
import TreasuryModel

/// What a `fetch` run was asked to do (the key is passed apart, as an `APIKey`).
public struct FetchOptions: Sendable {
  /// The Stripe API version this tool is built and tested against (`Stripe-Version`).
  public static let pinnedStripeVersion = "2026-07-29.dahlia"

  /// DUMPS: the folder the dumps are written to (and read back from on later runs).
  package var output: String
  /// Connected accounts (`acct_…`) to fetch.
  public var accounts: [String] = []
  /// Also fetch every connected account `GET /v1/accounts` lists.
  public var allAccounts = false
  /// Also fetch the platform's own financial accounts (no `Stripe-Account` header).
  public var platform = false
  /// Only objects created at or after this Unix time (first run only; later runs keep it).
  public var since: Int64?
  public var apiBase = APIBase.stripe
  public var stripeVersion = pinnedStripeVersion
  /// Client-side rate limit; nil: the platform's default (90 requests/s for live keys, 20 for test keys) divided
  /// by the number of shards, since Stripe's limit is per platform and every shard spends it at once.
  public var maxRequestsPerSecond: Double?
  /// `--shard K/N`: the connected accounts (and, on shard 0, the platform) this run fetches; `.whole`: all.
  public var shard = Shard.whole
  /// Financial accounts (and account folders) fetched in parallel.
  public var concurrency = 4
  /// Seconds one attempt of one request may take, from connecting to the last byte of the answer.
  public var timeout: Double = 30
  /// The most one answer may hold (64 MiB: a page of 100 objects is a few hundred KB).
  package static let defaultMaxResponseBytes = 64 << 20
  /// Bytes one answer may hold; a larger one fails the request (exit 5) without being read whole.
  package var maxResponseBytes = defaultMaxResponseBytes
  public var retry = RetryPolicy()
  /// Seconds an incremental run reaches back before the previous run's start.
  public var overlap: Int64 = 3600
  /// Objects per page (`limit`, 1…100).
  public var pageSize = 100
  /// Discard an interrupted run instead of resuming it.
  public var restart = false

  public init(output: String) {
    self.output = output
  }

  /// The platform's rate budget for a key when no `--max-rps` is given: under Stripe's read limits.
  package static func platformRequestsPerSecond(for mode: APIKey.Mode) -> Double { mode == .live ? 90 : 20 }

  /// The rate limit in force for a key: `--max-rps`, else this shard's equal part of the platform's budget.
  package func requestsPerSecond(for mode: APIKey.Mode) -> Double {
    maxRequestsPerSecond ?? Self.platformRequestsPerSecond(for: mode) / Double(shard.count)
  }
}
