import Foundation
@_spi(Inlining) import TreasuryModel

/// `rejects.jsonl` of the merged folder (`--skip-invalid`): the shards' records in the unsharded run's order.
///
/// A run lists the lines it set aside by input file, in the order of its
/// inputs, then by line. Each input file was read by one shard, whose records
/// of it are contiguous and in line order, so the merge orders the shards'
/// runs of records by their file's position among the unsharded inputs
/// (`shard_inputs`) and keeps every record's bytes.
enum MergedRejects {
  /// The merged file's bytes and its record count; nil when the shards wrote none.
  static func merge(_ shards: [ShardFolder]) throws(MergeError) -> (bytes: [UInt8], rows: Int)? {
    guard shards[0].output("rejects.jsonl") != nil else { return nil }
    var runs: [(position: Int, order: Int, lines: [UInt8])] = []
    var rows = 0
    for shard in shards {
      guard let file = shard.output("rejects.jsonl") else {
        throw .invalidShard("\(shard.shown): error: no rejects.jsonl in its manifest, though the flags write one")
      }
      var positions: [String: Int] = [:]
      for (position, input) in zip(shard.inputPositions, shard.manifest.inputs) { positions[input.path] = position }
      let content = try shard.content(file)
      var start = 0
      var current: (path: String, start: Int)?
      func close(at end: Int) throws(MergeError) {
        guard let run = current else { return }
        guard let position = positions[run.path] else {
          throw .invalidShard(
            "\(shard.shown)/\(file.path): error: a record names \(run.path), which is not among the shard's inputs")
        }
        runs.append((position, runs.count, Array(content[run.start..<end])))
      }
      while start < content.count {
        let end = (content[start...].firstIndex(of: 0x0A) ?? (content.count - 1)) + 1
        guard
          let record = try? JSONSerialization.jsonObject(with: Data(content[start..<end])) as? [String: Any],
          let path = record["file"] as? String
        else {
          throw .invalidShard("\(shard.shown)/\(file.path): error: a line is not a rejects.jsonl record")
        }
        if current?.path != path {
          try close(at: start)
          current = (path, start)
        }
        rows += 1
        start = end
      }
      try close(at: content.count)
    }
    runs.sort { ($0.position, $0.order) < ($1.position, $1.order) }
    return (runs.flatMap(\.lines), rows)
  }
}
