import ArgumentParser
import Foundation

/// `treasury-bench`: the benchmark behind `make bench`, treasury-report against DuckDB on generated dumps.
@main
struct Entrypoint: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "treasury-bench",
    abstract: "Benchmark treasury-report against DuckDB; print the results (and write them into a file with --output)."
  )

  @Option(help: "Folder with release builds of treasury-report and treasury-gen.")
  var bin = ".build/release"

  @Option(help: "Cache folder for generated datasets and outputs (outside git).")
  var cache = ".build/bench-cache"

  @Option(help: "Python virtual environment for DuckDB.")
  var venv = ".build/bench-venv"

  @Option(help: "DuckDB version installed into the environment.")
  var duckdbVersion = "2.0.0"

  @Option(help: "Timed rounds per job; the median is reported.")
  var rounds = 3

  @Option(help: "Dataset scales for the scaling table (1 = 100 accounts × 12 months × 1,000 transactions).")
  var scales = "0.25,0.5,1,2"

  @Option(help: "Scale of the main comparison and the mixed file (smaller for a quick trial run).")
  var reference = 1.0

  @Option(help: "Flags of the full job.")
  var fullJob = "--format csv,camt053 --gzip --archive"

  @Option(help: "Flags of the export job (measured, no target).")
  var exportJob = "--format csv:quickbooks,ofx,bai2,html"

  @Option(help: "Also write the results between the bench markers of this file (make bench: BENCHMARKS.md).")
  var output: String?

  func run() throws {
    let tool = bin + "/treasury-report"
    let generator = bin + "/treasury-gen"
    try FileManager.default.createDirectory(atPath: cache, withIntermediateDirectories: true)
    let python = try DuckDB.ensure(venv: venv, version: duckdbVersion)
    let duckdbScript = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
      "duckdb-summary.py"
    ).path

    let bench = Bench(tool: tool, python: python, duckdbScript: duckdbScript, cache: cache, rounds: rounds)
    let scaleValues = scales.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
    let reference = Dataset.scaled(self.reference, cache: cache)
    let scaled = scaleValues.map { Dataset.scaled($0, cache: cache) }
    let mixedData = Dataset.mixed(self.reference, cache: cache)
    for dataset in scaled + [reference, mixedData] {
      guard dataset.ensure(generator: generator) else { throw ExitCode.failure }
    }

    // The main comparison: every job on the 1× data, alternating with DuckDB.
    // The main comparison: every job on the 1× data, alternating with DuckDB. The order matters to Report:
    // summary, default CSV, full, then the export job.
    let main = bench.compare(
      reference,
      jobs: [
        ("treasury-report --format summary", ["--format", "summary"]),
        ("treasury-report (default CSV job)", []),
        ("treasury-report \(fullJob)", fullJob.split(separator: " ").map(String.init)),
        ("treasury-report \(exportJob)", exportJob.split(separator: " ").map(String.init)),
      ])
    // verify re-reads what the full job wrote (its folder is kept from the last round).
    let verify = bench.verify(bench.outputFolder(2))
    var scaling: [Bench.Comparison] = []
    for dataset in scaled {
      scaling.append(
        dataset.path == reference.path
          ? main : bench.compare(dataset, jobs: [("treasury-report --format summary", ["--format", "summary"])]))
    }
    let mixed = bench.compare(mixedData, jobs: [("treasury-report --format summary", ["--format", "summary"])])

    let report = Report(
      main: main, verify: verify, scaling: scaling, mixed: mixed, fullJob: fullJob, rounds: rounds,
      duckdbVersion: DuckDB.version(python: python) ?? duckdbVersion,
      toolVersion: Measurement.output(of: [tool, "--version"]) ?? "unknown", commit: Self.commit())
    let text = report.markdown()
    print(text)
    if let output {
      try Report.update(output, with: text)
      print("wrote \(output)")
    }
  }

  /// The measured source: the short commit id, with "+changes" when tracked files differ from it.
  static func commit() -> String {
    guard let id = Measurement.output(of: ["git", "rev-parse", "--short", "HEAD"]) else { return "unknown commit" }
    let changes = Measurement.output(of: ["git", "status", "--porcelain", "--untracked-files=no"]) ?? ""
    return changes.isEmpty ? id : id + "+changes"
  }
}

/// Runs jobs on a dataset, alternating with DuckDB, and checks the summaries agree.
struct Bench {
  let tool: String
  let python: String
  let duckdbScript: String
  let cache: String
  let rounds: Int

  struct Job {
    var name: String
    var measurement: Measurement?
  }

  struct Comparison {
    var dataset: Dataset
    var bytes: Int
    var objects: (transactions: Int, entries: Int)
    var jobs: [Job]
    /// DuckDB with the columns declared.
    var duckdb: Measurement?
    /// DuckDB inferring the schema (the issue's baseline).
    var duckdbDetected: Measurement?
    /// Nil when the tool's summary equals DuckDB's to the cent.
    var mismatch: String?
  }

  func compare(_ dataset: Dataset, jobs: [(name: String, flags: [String])]) -> Comparison {
    print("measuring \(dataset.name) …")
    dataset.warm()
    var runs = Array(repeating: [Measurement](), count: jobs.count)
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
    return Comparison(
      dataset: dataset, bytes: dataset.bytes, objects: objectCounts(cache + "/out-0/manifest.json"),
      jobs: zip(jobs, runs).map { Job(name: $0.name, measurement: Measurement.median($1)) },
      duckdb: Measurement.median(duckRuns), duckdbDetected: Measurement.median(detectedRuns), mismatch: mismatch)
  }

  /// Where job `i` of a comparison writes.
  func outputFolder(_ i: Int) -> String { cache + "/out-\(i)" }

  /// `treasury-report verify` on a folder the tool wrote; the median of the rounds, nil when it fails.
  func verify(_ folder: String) -> Measurement? {
    print("measuring verify …")
    return Measurement.median((0..<rounds).compactMap { _ in Measurement.run([tool, "verify", folder]) })
  }

  private func objectCounts(_ manifest: String) -> (transactions: Int, entries: Int) {
    guard let data = FileManager.default.contents(atPath: manifest),
      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
      let counts = object["objects"] as? [String: Any]
    else { return (0, 0) }
    return (counts["transactions"] as? Int ?? 0, counts["entries"] as? Int ?? 0)
  }

}

/// DuckDB in a virtual environment under the build folder, used only by the benchmark.
enum DuckDB {
  static func ensure(venv: String, version: String) throws -> String {
    let python = venv + "/bin/python"
    if self.version(python: python) == version { return python }
    print("installing DuckDB \(version) into \(venv) …")
    for command in [["python3", "-m", "venv", venv], [venv + "/bin/pip", "install", "-q", "duckdb==\(version)"]] {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      process.arguments = command
      try process.run()
      process.waitUntilExit()
      guard process.terminationStatus == 0 else {
        print("failed: \(command.joined(separator: " "))")
        throw ExitCode.failure
      }
    }
    return python
  }

  static func version(python: String) -> String? {
    guard FileManager.default.fileExists(atPath: python) else { return nil }
    return Measurement.output(of: [python, "-c", "import duckdb; print(duckdb.__version__)"])
  }
}
