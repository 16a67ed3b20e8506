import Foundation

/// The benchmark's section of BENCHMARKS.md: the machine, the tables, and each target met or not.
struct Report {
  var main: Bench.Comparison
  /// `verify` of the full job's output folder.
  var verify: Measurement?
  var scaling: [Bench.Comparison]
  var mixed: Bench.Comparison
  var fullJob: String
  var rounds: Int
  var duckdbVersion: String
  var toolVersion: String
  var commit: String

  static let begin = "<!-- bench:begin (written by make bench; edit outside these markers) -->"
  static let end = "<!-- bench:end -->"

  /// MB and GB are decimal (10^6, 10^9 bytes) throughout.
  static func mb(_ bytes: Int) -> String { String(format: "%.0f MB", Double(bytes) / 1e6) }
  static func rate(_ bytes: Int, _ seconds: Double) -> Double { seconds > 0 ? Double(bytes) / 1e6 / seconds : 0 }
  static func seconds(_ m: Measurement?) -> String { m.map { String(format: "%.2f s", $0.wall) } ?? "failed" }

  func markdown() -> String {
    var lines: [String] = [Self.begin, ""]
    let date = ISO8601DateFormatter().string(from: Date()).prefix(10)
    lines.append(
      "Measured \(date) by `make bench`: median of \(rounds) runs, warm page cache, tool and DuckDB runs alternating.")
    lines.append(
      "Machine: \(Self.machine()). treasury-report \(toolVersion) at \(commit), release build; DuckDB \(duckdbVersion) (Python)."
    )
    lines.append(
      "Data (\(main.dataset.name)): `treasury-gen \(main.dataset.generatorArguments.joined(separator: " "))`, one folder per account: "
        + "\(Self.mb(main.bytes)), \(main.objects.transactions) transactions, \(main.objects.entries) entries.")
    lines.append("")
    lines.append(
      "| job (\(main.dataset.name) data) | wall | input rate | cores busy | peak RSS | vs DuckDB, schema detected | vs DuckDB, columns declared |"
    )
    lines.append("| --- | --- | --- | --- | --- | --- | --- |")
    for job in main.jobs {
      lines.append(row(job.name, job.measurement, bytes: main.bytes, main))
    }
    lines.append(
      row(
        "DuckDB, schema detected (`read_json_auto`), the same monthly summary", main.duckdbDetected, bytes: main.bytes,
        main))
    lines.append(row("DuckDB, columns declared (`read_json` with types)", main.duckdb, bytes: main.bytes, main))
    lines.append("")
    if let v = verify {
      lines.append(
        "`treasury-report verify` of the full job's output folder (every file, archive member and statement re-read): "
          + "\(String(format: "%.2f s", v.wall)), \(String(format: "%.2f", v.coresBusy)) cores busy, peak RSS \(Self.mb(v.peakRSS))."
      )
    } else {
      lines.append("`treasury-report verify` of the full job's output folder: **failed**.")
    }
    lines.append("")
    lines.append(
      main.mismatch == nil
        ? "The tool's summary.csv equals DuckDB's result to the cent (\(main.objects.transactions) transactions, every statement row)."
        : "**The summaries differ:** \(main.mismatch ?? "")")
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
    lines.append("Targets (issue 6):")
    lines.append("")
    lines.append("| target | measured | met |")
    lines.append("| --- | --- | --- |")
    for (target, measured, met) in targets() {
      lines.append("| \(target) | \(measured) | \(met ? "yes" : "**no**") |")
    }
    lines.append("")
    lines.append(Self.end)
    return lines.joined(separator: "\n")
  }

  private func row(_ name: String, _ m: Measurement?, bytes: Int, _ c: Bench.Comparison) -> String {
    guard let m else { return "| \(name) | failed | | | | | |" }
    return
      "| \(name) | \(String(format: "%.2f s", m.wall)) | \(String(format: "%.0f MB/s", Self.rate(bytes, m.wall))) | "
      + "\(String(format: "%.2f", m.coresBusy)) | \(Self.mb(m.peakRSS)) | \(ratio(m, c.duckdbDetected)) | \(ratio(m, c.duckdb)) |"
  }

  private func ratio(_ m: Measurement?, _ duck: Measurement?) -> String {
    guard let m, let duck, m.wall > 0 else { return "–" }
    return String(format: "%.1f×", duck.wall / m.wall)
  }

  private func targets() -> [(String, String, Bool)] {
    var result: [(String, String, Bool)] = []
    let summary = main.jobs.first?.measurement
    let csv = main.jobs.count > 1 ? main.jobs[1].measurement : nil
    let full = main.jobs.count > 2 ? main.jobs[2].measurement : nil
    if let s = summary {
      let rate = Self.rate(main.bytes, s.wall)
      result.append(("summary ≥ 1 GB/s of input", String(format: "%.0f MB/s", rate), rate >= 1000))
      if let d = main.duckdbDetected {
        result.append(
          (
            "summary ≥ 4× DuckDB's throughput (DuckDB as in the issue: `read_json` with schema detection)",
            String(format: "%.1f×", d.wall / s.wall), d.wall / s.wall >= 4
          ))
      }
      if let d = main.duckdb {
        result.append(
          (
            "… and against DuckDB given the columns (the stronger baseline)",
            String(format: "%.1f×", d.wall / s.wall), d.wall / s.wall >= 4
          ))
      }
      result.append(("both cores busy", String(format: "%.2f cores", s.coresBusy), s.coresBusy >= 1.6))
      result.append(("peak RSS ≤ 200 MB on the 1× data", Self.mb(s.peakRSS), s.peakRSS <= 200_000_000))
      if let c = csv {
        let r = c.wall / s.wall
        result.append(("default CSV job ≤ 1.5× the summary time", String(format: "%.2f×", r), r <= 1.5))
      }
      if let f = full {
        let r = f.wall / s.wall
        result.append(("full job (`\(fullJob)`) ≤ 2.5× the summary time", String(format: "%.2f×", r), r <= 2.5))
      } else {
        result.append(("full job (`\(fullJob)`) ≤ 2.5× the summary time", "did not run", false))
      }
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
    if let m = mixed.jobs.first?.measurement {
      result.append(("one mixed file: peak RSS ≤ 200 MB", Self.mb(m.peakRSS), m.peakRSS <= 200_000_000))
    }
    result.append(
      ("summary equals DuckDB's to the cent", main.mismatch == nil ? "equal" : "differs", main.mismatch == nil))
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
