import Foundation

/// The benchmark's section of BENCHMARKS.md: the machine, the tables, and each target of issue 17 met or not.
struct Report {
  var main: Bench.Comparison
  var scaling: [Bench.Comparison]
  var mixed: Bench.Comparison
  var gzip: Bench.GzipSizes
  var fullJob: String
  var exportJob: String
  var rounds: Int
  var duckdbVersion: String
  var pigzVersion: String
  var toolVersion: String
  var commit: String
  /// Issue 16's measure (nil when skipped).
  var sharding: ShardBench.Result?

  static let begin = "<!-- bench:begin (written by make bench; edit outside these markers) -->"
  static let end = "<!-- bench:end -->"

  /// MB and GB are decimal (10^6, 10^9 bytes) throughout.
  static func mb(_ bytes: Int) -> String { String(format: "%.0f MB", Double(bytes) / 1e6) }
  static func rate(_ bytes: Int, _ seconds: Double) -> Double { seconds > 0 ? Double(bytes) / 1e6 / seconds : 0 }
  static func seconds(_ m: Measurement?) -> String { m.map { String(format: "%.2f s", $0.wall) } ?? "failed" }
  static func times(_ x: Double) -> String { String(format: "%.2f×", x) }

  func markdown() -> String {
    var lines: [String] = [Self.begin, ""]
    let date = ISO8601DateFormatter().string(from: Date()).prefix(10)
    lines.append(
      "Measured \(date) by `make bench`: median of \(rounds) runs, warm page cache; in every round each job runs "
        + "once, DuckDB after the summary, `verify` after the full job, the tool's gzip and pigz after the export job.")
    lines.append(
      "Machine: \(Self.machine()). treasury-report \(toolVersion) at \(commit), release build; DuckDB \(duckdbVersion) (Python); \(pigzVersion)."
    )
    lines.append(
      "Data (\(main.dataset.name)): `treasury-gen \(main.dataset.generatorArguments.joined(separator: " "))`, one folder per account: "
        + "\(Self.mb(main.bytes)), \(main.objects.transactions) transactions, \(main.objects.entries) entries.")
    lines.append("")
    lines.append("Targets (issue 17), each a ratio of two medians of this run:")
    lines.append("")
    lines.append("| measure | before issue 17 | measured | target | met |")
    lines.append("| --- | --- | --- | --- | --- |")
    for target in targets() {
      let met = target.met.map { $0 ? "yes" : "**no**" } ?? "not measured"
      lines.append("| \(target.measure) | \(target.before) | \(target.measured) | \(target.target) | \(met) |")
    }
    lines.append("")
    lines.append(
      "| job (\(main.dataset.name) data) | wall | input rate | cores busy | peak RSS | × summary | vs DuckDB, schema detected | vs DuckDB, columns declared |"
    )
    lines.append("| --- | --- | --- | --- | --- | --- | --- | --- |")
    let summary = main.jobs.first?.measurement
    for job in main.jobs {
      lines.append(row(job.name, job.measurement, summary: summary, main))
    }
    lines.append(row("`verify` of the full job's folder", main.extras[Bench.verify], summary: summary, main))
    lines.append(
      row(
        "DuckDB, schema detected (`read_json_auto`), the same monthly summary", main.duckdbDetected, summary: summary,
        main))
    lines.append(row("DuckDB, columns declared (`read_json` with types)", main.duckdb, summary: summary, main))
    lines.append("")
    lines.append(contentsOf: gzipLines())
    lines.append("")
    lines.append(
      main.mismatch == nil
        ? "The tool's summary.csv equals DuckDB's result to the cent (\(main.objects.transactions) transactions, every statement row)."
        : "**The summaries differ:** \(main.mismatch ?? "")")
    lines.append("")
    lines.append("Every job on the same data in one mixed file (\(Self.mb(mixed.bytes))), for the peak memory:")
    lines.append("")
    lines.append("| job (\(mixed.dataset.name)) | wall | input rate | peak RSS | × summary |")
    lines.append("| --- | --- | --- | --- | --- |")
    let mixedSummary = mixed.jobs.first?.measurement
    for job in mixed.jobs {
      guard let m = job.measurement else {
        lines.append("| \(job.name) | failed | | | |")
        continue
      }
      lines.append(
        "| \(job.name) | \(Self.seconds(m)) | \(String(format: "%.0f MB/s", Self.rate(mixed.bytes, m.wall))) | "
          + "\(Self.mb(m.peakRSS)) | \(mixedSummary.map { Self.times(m.wall / $0.wall) } ?? "–") |")
    }
    lines.append("")
    lines.append("Scaling (`--format summary`; 2× has twice the accounts):")
    lines.append("")
    lines.append(
      "| data | input | wall | input rate | peak RSS | DuckDB detected / declared | vs detected / declared | same result |"
    )
    lines.append("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for c in scaling + [mixed] {
      let m = c.jobs.first?.measurement
      lines.append(
        "| \(c.dataset.name) | \(Self.mb(c.bytes)) | \(Self.seconds(m)) | "
          + "\(m.map { String(format: "%.0f MB/s", Self.rate(c.bytes, $0.wall)) } ?? "–") | "
          + "\(m.map { Self.mb($0.peakRSS) } ?? "–") | \(Self.seconds(c.duckdbDetected)) / \(Self.seconds(c.duckdb)) | "
          + "\(ratio(m, c.duckdbDetected)) / \(ratio(m, c.duckdb)) | "
          + "\(c.mismatch == nil ? "yes" : "no: \(c.mismatch ?? "")") |")
    }
    lines.append("")
    let shardLines = shardingLines()
    if !shardLines.isEmpty { lines.append(contentsOf: shardLines + [""]) }
    lines.append("Other checks:")
    lines.append("")
    for (check, measured, met) in checks() {
      lines.append("- \(check): \(measured) (\(met ? "holds" : "**does not hold**"))")
    }
    lines.append("")
    lines.append(Self.end)
    return lines.joined(separator: "\n")
  }

  private func row(_ name: String, _ m: Measurement?, summary: Measurement?, _ c: Bench.Comparison) -> String {
    guard let m else { return "| \(name) | failed | | | | | | |" }
    return
      "| \(name) | \(Self.seconds(m)) | \(String(format: "%.0f MB/s", Self.rate(c.bytes, m.wall))) | "
      + "\(String(format: "%.2f", m.coresBusy)) | \(Self.mb(m.peakRSS)) | "
      + "\(summary.map { Self.times(m.wall / $0.wall) } ?? "–") | \(ratio(m, c.duckdbDetected)) | \(ratio(m, c.duckdb)) |"
  }

  private func gzipLines() -> [String] {
    let tool = main.extras[Bench.toolGzip]
    let pigz = main.extras[Bench.pigz]
    var lines = [
      "gzip of the full job's files (\(gzip.files) files, \(Self.mb(gzip.input)), as `\(plainFlags)` writes them), level 6:",
      "",
      "| compressor | wall | input rate | cores busy | peak RSS | compressed | vs `gzip -6` |",
      "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    let cases: [(String, Measurement?, Int)] = [
      ("treasury-report's gzip writer (`treasury-bench gzip-files`)", tool, gzip.tool),
      ("`pigz -6 -p \(ProcessInfo.processInfo.activeProcessorCount) -n`", pigz, gzip.pigz),
      ("`gzip -6 -n` (one run, for the size)", gzip.gzipRun, gzip.gzip),
    ]
    for (name, m, size) in cases {
      let versus =
        gzip.gzip > 0 && size > 0 ? String(format: "%+.1f%%", 100 * (Double(size) / Double(gzip.gzip) - 1)) : "–"
      guard let m else {
        lines.append("| \(name) | failed | | | | \(Self.mb(size)) | \(versus) |")
        continue
      }
      lines.append(
        "| \(name) | \(Self.seconds(m)) | \(String(format: "%.0f MB/s", Self.rate(gzip.input, m.wall))) | "
          + "\(String(format: "%.2f", m.coresBusy)) | \(Self.mb(m.peakRSS)) | \(Self.mb(size)) | \(versus) |")
    }
    return lines
  }

  /// The full job's flags without `--gzip` and `--archive`: the files it compresses.
  private var plainFlags: String {
    fullJob.split(separator: " ").filter { $0 != "--gzip" && $0 != "--archive" }.joined(separator: " ")
  }

  private func ratio(_ m: Measurement?, _ duck: Measurement?) -> String {
    guard let m, let duck, m.wall > 0 else { return "–" }
    return String(format: "%.1f×", duck.wall / m.wall)
  }

  struct Target {
    var measure: String
    var before: String
    var measured: String
    var target: String
    /// Nil when a run it needs failed.
    var met: Bool?
  }

  /// Issue 17's table: the "before" column is the issue's own, from the bench run before it.
  func targets() -> [Target] {
    let summary = main.jobs.first?.measurement
    func job(_ i: Int) -> Measurement? { main.jobs.count > i ? main.jobs[i].measurement : nil }
    func perSummary(_ m: Measurement?, _ name: String, before: String, limit: Double) -> Target {
      guard let m, let s = summary, s.wall > 0 else {
        return Target(measure: name, before: before, measured: "failed", target: "≤ \(limit)×", met: nil)
      }
      let r = m.wall / s.wall
      return Target(
        measure: name, before: before,
        measured: "\(Self.times(r)) (\(Self.seconds(m)) / \(Self.seconds(s)))", target: "≤ \(Self.plain(limit))×",
        met: r <= limit)
    }
    var result: [Target] = []
    if let s = summary, let d = main.duckdb {
      let r = d.wall / s.wall
      result.append(
        Target(
          measure: "`--format summary` vs DuckDB with declared columns (DuckDB's time / the tool's)",
          before: "1.8–2.8×",
          measured: "\(Self.times(r)) (\(Self.seconds(d)) / \(Self.seconds(s)))", target: "≥ 2.5×", met: r >= 2.5))
    } else {
      result.append(
        Target(
          measure: "`--format summary` vs DuckDB with declared columns", before: "1.8–2.8×", measured: "failed",
          target: "≥ 2.5×", met: nil))
    }
    result.append(perSummary(job(1), "default CSV job / summary", before: "2.56×", limit: 2))
    result.append(perSummary(job(2), "full job (`\(fullJob)`) / summary", before: "9.3×", limit: 4))
    result.append(perSummary(job(3), "export job (`\(exportJob)`) / summary", before: "14.6×", limit: 4))
    result.append(gzipTarget())
    result.append(
      perSummary(main.extras[Bench.verify], "`verify` of the full job's folder / summary", before: "7.8×", limit: 3))
    result.append(memoryTarget())
    return result
  }

  private func gzipTarget() -> Target {
    let name =
      "gzip of the full job's files vs `pigz -6 -p \(ProcessInfo.processInfo.activeProcessorCount)` on the same files (pigz's time / the tool's; size vs `gzip -6`)"
    let target = "≥ 1.5× faster, size ≤ `gzip -6`"
    guard let tool = main.extras[Bench.toolGzip], let pigz = main.extras[Bench.pigz], tool.wall > 0, gzip.gzip > 0,
      gzip.tool > 0
    else { return Target(measure: name, before: "—", measured: "failed", target: target, met: nil) }
    let speed = pigz.wall / tool.wall
    let size = Double(gzip.tool) / Double(gzip.gzip)
    return Target(
      measure: name, before: "—",
      measured:
        "\(Self.times(speed)) (\(Self.seconds(pigz)) / \(Self.seconds(tool))); size \(String(format: "%.3f", size))× `gzip -6`'s",
      target: target, met: speed >= 1.5 && gzip.tool <= gzip.gzip)
  }

  private func memoryTarget() -> Target {
    let name = "peak RSS, every job (and `verify`), on the folders and on the one mixed file"
    var peaks: [(String, Int)] = []
    for job in main.jobs { if let m = job.measurement { peaks.append((job.name, m.peakRSS)) } }
    if let v = main.extras[Bench.verify] { peaks.append(("verify", v.peakRSS)) }
    for job in mixed.jobs { if let m = job.measurement { peaks.append((job.name + ", mixed file", m.peakRSS)) } }
    let expected = main.jobs.count + 1 + mixed.jobs.count
    guard let top = peaks.max(by: { $0.1 < $1.1 }), let low = peaks.min(by: { $0.1 < $1.1 }) else {
      return Target(measure: name, before: "52–190 MB", measured: "failed", target: "≤ 150 MB", met: nil)
    }
    return Target(
      measure: name, before: "52–190 MB",
      measured: "\(Self.mb(low.1))–\(Self.mb(top.1)) (highest: \(top.0))", target: "≤ 150 MB",
      met: peaks.count == expected ? top.1 <= 150_000_000 : nil)
  }

  static func plain(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(x) }

  private func checks() -> [(String, String, Bool)] {
    var result: [(String, String, Bool)] = []
    let summary = main.jobs.first?.measurement
    if let s = summary {
      result.append(
        ("the summary keeps both cores busy", String(format: "%.2f cores", s.coresBusy), s.coresBusy >= 1.6))
    }
    if let twoData = scaling.first(where: { $0.dataset.name == "2×" }), let two = twoData.jobs.first?.measurement,
      let one = summary
    {
      let growth = Double(two.peakRSS) / Double(max(1, one.peakRSS))
      result.append(
        ("peak RSS flat: 2× data has the same peak as 1×", String(format: "%.2f× the 1× peak", growth), growth <= 1.15))
      let perByte = (two.wall / Double(twoData.bytes)) / (one.wall / Double(main.bytes))
      result.append(
        ("time linear in input (time per byte at 2× vs 1×)", String(format: "%.2f", perByte), perByte <= 1.15))
    }
    result.append(
      ("the summary equals DuckDB's to the cent", main.mismatch == nil ? "equal" : "differs", main.mismatch == nil))
    result.append(
      ("… also from the mixed file", mixed.mismatch == nil ? "equal" : "differs", mixed.mismatch == nil))
    return result
  }

  static func machine() -> String {
    let cpu =
      (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?.split(separator: "\n")
      .first { $0.hasPrefix("model name") }.map {
        $0.split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? ""
      }
      ?? "unknown CPU"
    let memory = Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824
    return "\(ProcessInfo.processInfo.activeProcessorCount) cores (\(cpu)), \(String(format: "%.0f", memory)) GiB"
  }

  /// Replaces the text between the markers in `path` (or appends it).
  static func update(_ path: String, with section: String) throws {
    let old = (try? String(contentsOfFile: path, encoding: .utf8)) ?? "# Benchmarks\n"
    let text: String
    if let a = old.range(of: begin), let b = old.range(of: end), a.lowerBound < b.upperBound {
      text = old.replacingCharacters(in: a.lowerBound..<b.upperBound, with: section)
    } else {
      text = old.trimmingCharacters(in: .newlines) + "\n\n" + section + "\n"
    }
    try text.write(toFile: path, atomically: true, encoding: .utf8)
  }
}
