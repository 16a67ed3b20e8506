import Foundation
@_spi(Inlining) import TreasuryModel
import TreasuryStorage

/// The two halves of a sharded run: `run --shard K/N` (fetch one shard, upload it) and `run --merge-shards N`
/// (download every shard, then build and publish as an unsharded run over the same dumps).
extension RunJob {
  /// The `--as-of` every shard of a set and its merge are given: the set's name and the statements' as-of time.
  func shardSetInstant() throws(RunError) -> Date {
    guard let text = options.asOf else {
      throw .usage("--shard and --merge-shards need --as-of: the same instant for every shard and the merge")
    }
    guard let date = ISO8601DateFormatter().date(from: text) else {
      throw .usage(
        "--as-of with --shard or --merge-shards takes an instant such as 2026-04-04T06:30:00Z, found '\(text)'")
    }
    return date
  }

  /// Fetches shard `shard`'s accounts into its own folder under the source's dumps folder and uploads them to
  /// `shards/<as-of>/<K>-of-<N>/`; a shard already uploaded for this as-of does nothing.
  func uploadShard(
    _ shard: Shard, store: any ObjectStore, scratch: String, started: Date, _ summary: inout RunSummary
  ) async throws(RunError) {
    let config = options.config
    guard case .api(_, _, _, let dumps, _) = config.source else {
      throw .usage(
        "\(config.file): --shard needs source.api: a shard fetches its own accounts (with source.dumps, use `statements --shard`)"
      )
    }
    let asOf = try shardSetInstant()
    summary.shard = shard.description
    summary.asOf = RunLock.text(asOf)
    // Everything created before the as-of must be in the dumps: a fetch that started earlier would miss some.
    guard asOf <= started else {
      throw .usage("--as-of \(options.asOf ?? "") is after this shard's fetch starts; give an instant in the past")
    }
    let set = ShardSet(store: store, asOf: asOf, count: shard.count)
    let source = SourceFetch.describe(config.source)
    if try await set.record(shard.index, scratch: scratch) != nil {
      summary.notes.append(
        "\(store.target.display(set.recordKey(shard.index))): shard \(shard) of this as-of is already uploaded; nothing to do"
      )
      return
    }
    let folder = dumps + "/shard-\(shard.index)-of-\(shard.count)"
    try await SourceFetch(config: config, shard: shard, output: folder).run(&summary)
    let publication = StatementPublication(
      options: options, store: store, scratch: scratch, run: summary.run, now: started)
    let (record, stored) = try await set.upload(
      index: shard.index, dumps: folder, source: source, asOf: RunLock.text(asOf), attempt: summary.run,
      scratch: scratch
    ) { (key: String, path: String) async throws(RunError) in
      // Shards are the run's working data, not statements: encrypted as configured, never under retention.
      _ = try await publication.put(key, path, retained: false)
    }
    let url = store.target.display(set.prefix(shard.index) + "/" + record.attempt + "/")
    summary.notes.append(
      stored
        ? "uploaded shard \(shard): \(record.files.count) files to \(url)"
        : "\(store.target.display(set.recordKey(shard.index))): another attempt of shard \(shard) completed first; its upload is used"
    )
  }

  /// Downloads the `count` shards of the as-of into the working folder and returns their folders (the inputs).
  func downloadShards(
    _ count: Int, store: any ObjectStore, scratch: String, _ summary: inout RunSummary
  ) async throws(RunError) -> [String] {
    let asOf = try shardSetInstant()
    let set = ShardSet(store: store, asOf: asOf, count: count)
    let folders = try await set.download(
      into: scratch + "/shards", source: SourceFetch.describe(options.config.source), scratch: scratch)
    summary.notes.append(
      "merging \(count) shards from \(store.target.display(ShardSet.folder + "/" + set.label + "/"))")
    return folders
  }
}
