import Foundation
import Synchronization

/// Issue 16's measure: the full job as one process, as 2 shards at the same time and one after the other, and `merge`.
///
/// The shards need fixed periods and an as-of time (a shard's output may depend only on its own accounts), so every
/// run here is given the generated data's twelve months and one as-of; the merged folder is checked against the
/// unsharded one file by file (the manifest without `merged_from`).
struct ShardBench {
  let bench: Bench
  let dataset: Dataset
  let fullJob: String
  let shards = 2

  struct Result {
    var single: Measurement?
    /// Both shards started together: wall until the last ends; CPU and peak RSS of the larger.
    var concurrentWall: Double?
    var concurrent: [Measurement]
    /// The shards run one after the other.
    var sequential: [Measurement]
    var merge: Measurement?
    /// Nil when the merged folder equals the unsharded one.
    var difference: String?
  }

  var flags: [String] {
    fullJob.split(separator: " ").map(String.init) + [
      "--from", "2026-01-01", "--to", "2027-01-01", "--as-of", "2027-01-02T06:00:00Z", "--no-progress",
    ]
  }

  func folder(_ name: String) -> String { bench.cache + "/shard-bench/" + name }

  func statements(out: String, shard: Int?) -> [String] {
    [bench.tool, "statements", dataset.path, "--out", out] + flags
      + (shard.map { ["--shard", "\($0)/\(shards)"] } ?? [])
  }

  func measure() -> Result {
    print("measuring sharding on \(dataset.name) …")
    try? FileManager.default.removeItem(atPath: folder(""))
    try? FileManager.default.createDirectory(atPath: folder(""), withIntermediateDirectories: true)
    var single: [Measurement] = []
    var walls: [Double] = []
    var concurrent: [[Measurement]] = []
    var sequential: [[Measurement]] = []
    var merges: [Measurement] = []
    for _ in 0..<bench.rounds {
      clear(["single"])
      if let m = Measurement.run(statements(out: folder("single"), shard: nil)) { single.append(m) }

      clear((0..<shards).map { "c\($0)" })
      let started = Date()
      let results = Mutex<[Measurement]>([])
      DispatchQueue.concurrentPerform(iterations: shards) { k in
        if let m = Measurement.run(statements(out: folder("c\(k)"), shard: k)) { results.withLock { $0.append(m) } }
      }
      walls.append(Date().timeIntervalSince(started))
      concurrent.append(results.withLock { $0 })

      clear((0..<shards).map { "s\($0)" })
      sequential.append((0..<shards).compactMap { Measurement.run(statements(out: folder("s\($0)"), shard: $0)) })

      clear(["merged"])
      let parts = (0..<shards).map { folder("s\($0)") }
      if let m = Measurement.run([bench.tool, "merge"] + parts + ["--out", folder("merged")]) { merges.append(m) }
    }
    let middle = walls.sorted()[walls.count / 2]
    return Result(
      single: Measurement.median(single), concurrentWall: walls.isEmpty ? nil : middle,
      concurrent: concurrent.first ?? [], sequential: Self.medianRound(sequential),
      merge: Measurement.median(merges), difference: difference(folder("single"), folder("merged")))
  }

  /// The round whose summed wall time is the median.
  static func medianRound(_ rounds: [[Measurement]]) -> [Measurement] {
    let sorted = rounds.sorted { $0.reduce(0) { $0 + $1.wall } < $1.reduce(0) { $0 + $1.wall } }
    return sorted.isEmpty ? [] : sorted[sorted.count / 2]
  }

  private func clear(_ names: [String]) {
    for name in names { try? FileManager.default.removeItem(atPath: folder(name)) }
  }

  /// The first file that differs between the unsharded and the merged folder, or nil.
  func difference(_ single: String, _ merged: String) -> String? {
    let a = GzipFiles.files(under: single).sorted()
    let b = GzipFiles.files(under: merged).sorted()
    guard a == b else { return "the folders list different files (\(a.count) against \(b.count))" }
    for name in a {
      let left = FileManager.default.contents(atPath: single + "/" + name)
      var right = FileManager.default.contents(atPath: merged + "/" + name)
      if name == "manifest.json", let data = right,
        var object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
        let original = left.flatMap({ try? JSONSerialization.jsonObject(with: $0) as? [String: Any] })
      {
        object["merged_from"] = nil
        right = left
        if !NSDictionary(dictionary: object).isEqual(to: original) { return "manifest.json" }
        continue
      }
      if left != right { return name }
    }
    return nil
  }
}
