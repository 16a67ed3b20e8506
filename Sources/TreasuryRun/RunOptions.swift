import Foundation
import TreasuryModel

/// What `run` does beyond its config file: the flags.
public struct RunOptions: Sendable {
  public var config: RunConfig
  /// `--as-of`: the instant the data is complete up to; nil: the latest activity in the dumps.
  public var asOf: String?
  /// `--dry-run`: build and compare, say what would be published, write nothing to the target.
  public var dryRun = false
  /// `--break-lock`: break another run's lock older than `lock_max_age`.
  public var breakLock = false
  /// `--shard K/N`: fetch this shard's accounts and upload them under `shards/<as-of>/` in the target; no publishing.
  public var shard: Shard?
  /// `--merge-shards N`: build and publish from the N shards uploaded under `shards/<as-of>/` instead of fetching.
  public var mergeShards: Int?

  public init(config: RunConfig) { self.config = config }
}
