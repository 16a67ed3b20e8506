@_spi(Inlining) import TreasuryModel

/// Checks that shard folders make one sharded run: one version and the same flags, and every K of 0…N-1 once.
enum ShardSet {
  /// `folders` ordered by K; a mismatch names the folders at fault and what to do.
  static func check(_ folders: [ShardFolder]) throws(MergeError) -> [ShardFolder] {
    let first = folders[0]
    let count = first.shard.count
    for folder in folders.dropFirst() {
      if folder.shard.count != count {
        throw .mismatch(
          "\(folder.shown): error: shard \(folder.shard) is one of \(folder.shard.count), but \(first.shown) is shard \(first.shard) of \(count); merge the shards of one run"
        )
      }
      if folder.manifest.version != first.manifest.version {
        throw .mismatch(
          "\(folder.shown): error: made by treasury-report \(folder.manifest.version), but \(first.shown) by \(first.manifest.version); run every shard with one version"
        )
      }
      let keys = Set(folder.manifest.options.keys).union(first.manifest.options.keys).sorted()
      let differing = keys.filter { folder.manifest.options[$0] != first.manifest.options[$0] }
      if !differing.isEmpty {
        let shown = differing.prefix(5).map { key in
          "\(key): \(first.manifest.options[key] ?? "(not given)") against \(folder.manifest.options[key] ?? "(not given)")"
        }
        throw .mismatch(
          "\(folder.shown): error: made with different flags than \(first.shown) (\(shown.joined(separator: "; "))); run every shard with the same inputs and flags"
        )
      }
      if folder.manifest.skippedInputs != first.manifest.skippedInputs {
        throw .mismatch(
          "\(folder.shown): error: its inputs are not those of \(first.shown) (a different list of files set aside); run every shard over the same inputs"
        )
      }
    }
    let live = folders.first { $0.manifest.livemode == true }
    if let live, let test = folders.first(where: { $0.manifest.livemode == false }) {
      throw .invalidShard(
        "\(test.shown): error: read test-mode objects (livemode false), but \(live.shown) read live-mode ones; one run must not mix them (statements refuses both in one run): check that every shard read the same dump tree"
      )
    }
    var byIndex: [Int: ShardFolder] = [:]
    for folder in folders {
      if let other = byIndex[folder.shard.index] {
        throw .mismatch(
          "\(folder.shown): error: shard \(folder.shard) is named twice (also \(other.shown)); name each shard's folder once"
        )
      }
      byIndex[folder.shard.index] = folder
    }
    let missing = (0..<count).filter { byIndex[$0] == nil }
    if !missing.isEmpty {
      let shown = missing.prefix(10).map { "\($0)/\(count)" }.joined(separator: ", ")
      throw .mismatch(
        "error: shard\(missing.count == 1 ? "" : "s") \(shown)\(missing.count > 10 ? ", …" : "") missing: merge needs all \(count) shards of the run"
      )
    }
    return (0..<count).map { byIndex[$0]! }
  }
}
