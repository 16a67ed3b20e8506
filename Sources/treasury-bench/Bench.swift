import Foundation

/// Runs jobs on a dataset, alternating with DuckDB and the extra measurements, and checks the summaries agree.
struct Bench {
  let tool: String
  /// This program, for its hidden `gzip-files` command.
  let benchTool: String
  let python: String
  let duckdbScript: String
  let cache: String
  let rounds: Int

  struct Job {
    var name: String
    var flags: [String]
    var measurement: Measurement?
  }

  /// A command timed in each round after job `after` of the comparison (verify, the gzip tools).
  struct Extra {
    var name: String
    var after: Int
    var command: [String]
    /// Where its standard output goes (nil: discarded).
    var stdout: String?
    /// Removed before each run (the command's output folder).
    var clears: String?
  }

  struct Comparison {
    var dataset: Dataset
    var bytes: Int
    var objects: (transactions: Int, entries: Int)
    var jobs: [Job]
    /// The extras' medians, by name.
    var extras: [String: Measurement]
    /// DuckDB with the columns declared.
    var duckdb: Measurement?
    /// DuckDB inferring the schema.
    var duckdbDetected: Measurement?
    /// Nil when the tool's summary equals DuckDB's to the cent.
    var mismatch: String?
  }

  /// The jobs of the main comparison, in the order Report reads them: summary, default CSV, full, export.
  static func jobs(fullJob: String, exportJob: String) -> [Job] {
    [
      Job(name: "treasury-report --format summary", flags: ["--format", "summary"]),
      Job(name: "treasury-report (default CSV job)", flags: []),
      Job(name: "treasury-report \(fullJob)", flags: fullJob.split(separator: " ").map(String.init)),
      Job(name: "treasury-report \(exportJob)", flags: exportJob.split(separator: " ").map(String.init)),
    ]
  }

  static let verify = "verify"
  static let toolGzip = "tool gzip"
  static let pigz = "pigz"

  /// `verify` of the full job's folder, and the tool's gzip writer against pigz on the full job's files
  /// (uncompressed, in `gzipInput`).
  func extras(gzipInput: String) -> [Extra] {
    let files = GzipFiles.files(under: gzipInput).map { gzipInput + "/" + $0 }
    let cores = ProcessInfo.processInfo.activeProcessorCount
    return [
      Extra(name: Self.verify, after: 2, command: [tool, "verify", outputFolder(2)]),
      Extra(
        name: Self.toolGzip, after: 3,
        command: [benchTool, "gzip-files", gzipInput, "--out", toolGzipFolder, "--level", "6"],
        clears: toolGzipFolder),
      // -n: no name or time in the header, as the tool writes none; -c: one stream of members, to one file.
      Extra(
        name: Self.pigz, after: 3, command: ["pigz", "-6", "-p", String(cores), "-n", "-c"] + files, stdout: pigzFile),
    ]
  }

  var toolGzipFolder: String { cache + "/gzip-tool" }
  var pigzFile: String { cache + "/gzip-pigz.gz" }

  /// Sizes of the compressed files: the tool's, pigz's and `gzip -6`'s (run once, untimed by the targets).
  func gzipSizes() -> GzipSizes {
    let gnuFile = cache + "/gzip-gnu.gz"
    let input = cache + "/gzip-input"
    let files = GzipFiles.files(under: input)
    let gnu = Measurement.run(["gzip", "-6", "-n", "-c"] + files.map { input + "/" + $0 }, stdout: gnuFile)
    let tool = GzipFiles.files(under: toolGzipFolder).reduce(0) { $0 + Self.size(toolGzipFolder + "/" + $1) }
    return GzipSizes(
      files: files.count, input: files.reduce(0) { $0 + Self.size(input + "/" + $1) }, tool: tool,
      pigz: Self.size(pigzFile), gzip: gnu == nil ? 0 : Self.size(gnuFile), gzipRun: gnu)
  }

  struct GzipSizes {
    var files: Int
    var input: Int
    var tool: Int
    var pigz: Int
    var gzip: Int
    /// `gzip -6` on one core, once.
    var gzipRun: Measurement?
  }

  static func size(_ path: String) -> Int {
    (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
  }

  func compare(_ dataset: Dataset, jobs: [Job], extras: [Extra]) -> Comparison {
    print("measuring \(dataset.name) …")
    dataset.warm()
    var runs = Array(repeating: [Measurement](), count: jobs.count)
    var extraRuns: [String: [Measurement]] = [:]
    var duckRuns: [Measurement] = []
    var detectedRuns: [Measurement] = []
    let duckOut = cache + "/duckdb-summary.csv"
    let detectedOut = cache + "/duckdb-summary-detected.csv"
    for _ in 0..<rounds {
      for (i, job) in jobs.enumerated() {
        let out = outputFolder(i)
        try? FileManager.default.removeItem(atPath: out)
        if let m = Measurement.run([tool, "statements", dataset.path, "--out", out, "--no-progress"] + job.flags) {
          runs[i].append(m)
        }
        // DuckDB runs between the tool's jobs, so that both see the same machine.
        if i == 0 {
          if let m = Measurement.run([python, duckdbScript, dataset.path, duckOut, "declared"]) { duckRuns.append(m) }
          if let m = Measurement.run([python, duckdbScript, dataset.path, detectedOut, "detected"]) {
            detectedRuns.append(m)
          }
        }
        for extra in extras where extra.after == i {
          if let clears = extra.clears { try? FileManager.default.removeItem(atPath: clears) }
          if let m = Measurement.run(extra.command, stdout: extra.stdout) {
            extraRuns[extra.name, default: []].append(m)
          }
        }
      }
    }
    let summaryFile = cache + "/out-0/summary.csv"
    var mismatch: String? = "no output to compare"
    if let ours = SummaryComparison.tool(summaryFile), let theirs = SummaryComparison.duckdb(duckOut),
      let detected = SummaryComparison.duckdb(detectedOut)
    {
      mismatch =
        SummaryComparison.difference(tool: ours, duckdb: theirs)
        ?? SummaryComparison.difference(tool: ours, duckdb: detected).map { "schema-detecting DuckDB: " + $0 }
    }
    var measured = jobs
    for i in measured.indices { measured[i].measurement = Measurement.median(runs[i]) }
    return Comparison(
      dataset: dataset, bytes: dataset.bytes, objects: objectCounts(cache + "/out-0/manifest.json"),
      jobs: measured, extras: extraRuns.compactMapValues { Measurement.median($0) },
      duckdb: Measurement.median(duckRuns), duckdbDetected: Measurement.median(detectedRuns), mismatch: mismatch)
  }

  /// Where job `i` of a comparison writes.
  func outputFolder(_ i: Int) -> String { cache + "/out-\(i)" }

  private func objectCounts(_ manifest: String) -> (transactions: Int, entries: Int) {
    guard let data = FileManager.default.contents(atPath: manifest),
      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
      let counts = object["objects"] as? [String: Any]
    else { return (0, 0) }
    return (counts["transactions"] as? Int ?? 0, counts["entries"] as? Int ?? 0)
  }
}
