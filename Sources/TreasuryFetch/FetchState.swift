import Foundation

/// What DUMPS remembers between runs, under `DUMPS/.fetch-state/` (hidden, so `statements` never reads it).
///
/// `state.json` pins what every run into the folder must share (API version,
/// live or test); `accounts/<folder>.json` holds, per financial account, the
/// server times at which the last committed run started listing, from which
/// the next run's windows are computed.
struct FetchState: Codable, Equatable {
  var format = 1
  var stripeVersion: String
  var mode: APIKey.Mode
  /// `--since` of the first run, as Unix seconds; later runs keep it.
  var since: Int64?
  /// `K/N` when the folder holds one shard's accounts (`fetch --shard`); nil: unsharded. A folder holds one shard
  /// only: each shard has its own lock, checkpoints and manifest, so shards never share a DUMPS.
  var shard: String? = nil

  enum CodingKeys: String, CodingKey {
    case format
    case stripeVersion = "stripe_version"
    case mode, since, shard
  }
}
