import Foundation

extension Report {
  /// Issue 16's table: the full job unsharded, as 2 concurrent and 2 sequential shards, `merge`, and the projection.
  func shardingLines() -> [String] {
    guard let sharding else { return [] }
    var lines = [
      "Sharding (issue 16): the full job (`\(fullJob)`, fixed periods 2026-01-01 to 2027-01-01 and one `--as-of`, "
        + "as a shard needs) on the \(main.dataset.name) data, as one process and as `--shard K/2`:",
      "",
      "| run | wall | cores busy | peak RSS (largest process) |",
      "| --- | --- | --- | --- |",
    ]
    func cores(_ ms: [Measurement], wall: Double) -> String {
      wall > 0 ? String(format: "%.2f", ms.reduce(0) { $0 + $1.user + $1.system } / wall) : "–"
    }
    func peak(_ ms: [Measurement]) -> String { ms.map(\.peakRSS).max().map(Self.mb) ?? "–" }
    if let m = sharding.single {
      lines.append(
        "| 1 process | \(Self.seconds(m)) | \(String(format: "%.2f", m.coresBusy)) | \(Self.mb(m.peakRSS)) |")
    }
    if let wall = sharding.concurrentWall {
      lines.append(
        "| 2 shards at the same time (wall until both end) | \(String(format: "%.2f s", wall)) | "
          + "\(cores(sharding.concurrent, wall: wall)) | \(peak(sharding.concurrent)) |")
    }
    let sequential = sharding.sequential
    if !sequential.isEmpty {
      let total = sequential.reduce(0) { $0 + $1.wall }
      lines.append(
        "| 2 shards one after the other (sum) | \(String(format: "%.2f s", total)) | "
          + "\(cores(sequential, wall: total)) | \(peak(sequential)) |")
      for (k, m) in sequential.enumerated() {
        lines.append(
          "| … shard \(k)/2 alone (what one worker of a cluster sees) | \(Self.seconds(m)) | "
            + "\(String(format: "%.2f", m.coresBusy)) | \(Self.mb(m.peakRSS)) |")
      }
    }
    if let m = sharding.merge {
      let share = sharding.single.map { String(format: " (%.0f%% of the unsharded run)", 100 * m.wall / $0.wall) } ?? ""
      lines.append(
        "| `merge` of the 2 shard folders\(share) | \(Self.seconds(m)) | \(String(format: "%.2f", m.coresBusy)) | "
          + "\(Self.mb(m.peakRSS)) |")
    }
    lines.append("")
    lines.append(
      sharding.difference == nil
        ? "The merged folder equals the unsharded one, file for file (the manifest adding only `merged_from`)."
        : "**The merged folder differs from the unsharded one:** \(sharding.difference ?? "")")
    if let single = sharding.single, let merge = sharding.merge, single.wall > 0 {
      let perGB = single.wall / (Double(main.bytes) / 1e9)
      let mergePerGB = merge.wall / (Double(main.bytes) / 1e9)
      lines.append("")
      lines.append(
        "Projection from these numbers, for 1M connected accounts (~50 GB of dumps a month) on 50 workers of "
          + "\(ProcessInfo.processInfo.activeProcessorCount) cores like this machine: each worker's shard is ~1 GB, "
          + String(format: "%.0f s", perGB)
          + " of the full job (this run's \(Self.seconds(single)) per \(Self.mb(main.bytes))); `merge` on one such "
          + "machine reads all of it, "
          + String(format: "%.0f s", mergePerGB * 50)
          + " (its \(Self.seconds(merge)) here, mostly verifying the shards, scaled to 50 GB). The fetch bound is "
          + "in the prose below.")
    }
    return lines
  }
}
