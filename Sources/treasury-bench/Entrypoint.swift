import ArgumentParser
import Foundation

/// `treasury-bench`: the benchmark behind `make bench`, treasury-report against DuckDB on generated dumps.
@main
struct Entrypoint: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "treasury-bench",
    abstract: "Benchmark treasury-report against DuckDB and write the results into BENCHMARKS.md."
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

  @Option(help: "The file to update (between the bench markers).")
  var output = "BENCHMARKS.md"

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
    var datasets = scaleValues.map { Dataset.scaled($0, cache: cache) }
    if !datasets.contains(where: { $0.path == reference.path }) { datasets.append(reference) }
    datasets.append(Dataset.mixed(self.reference, cache: cache))
    for dataset in datasets {
      guard dataset.ensure(generator: generator) else { throw ExitCode.failure }
    }

    // The main comparison: every job on the 1× data, alternating with DuckDB.
    let fullFlags = fullJob.split(separator: " ").map(String.init)
    let main = bench.compare(
      reference,
      jobs: [
        ("treasury-report --format summary", ["--format", "summary"]),
        ("treasury-report (default CSV job)", []),
        ("treasury-report \(fullJob)", fullFlags),
      ])
    var scaling: [Bench.Comparison] = []
    for scale in scaleValues {
      let dataset = Dataset.scaled(scale, cache: cache)
      scaling.append(
        dataset.path == reference.path
          ? main : bench.compare(dataset, jobs: [("treasury-report --format summary", ["--format", "summary"])]))
    }
    let mixed = bench.compare(
      Dataset.mixed(self.reference, cache: cache),
      jobs: [("treasury-report --format summary", ["--format", "summary"])])

    let report = Report(
      main: main, scaling: scaling, mixed: mixed, fullJob: fullJob, rounds: rounds,
      duckdbVersion: DuckDB.version(python: python) ?? duckdbVersion, toolVersion: bench.toolVersion())
    let text = report.markdown()
    print(text)
    try Report.update(output, with: text)
    print("wrote \(output)")
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
        let out = cache + "/out-\(i)"
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

  private func objectCounts(_ manifest: String) -> (transactions: Int, entries: Int) {
    guard let data = FileManager.default.contents(atPath: manifest),
      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
      let counts = object["objects"] as? [String: Any]
    else { return (0, 0) }
    return (counts["transactions"] as? Int ?? 0, counts["entries"] as? Int ?? 0)
  }

  func toolVersion() -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool)
    process.arguments = ["--version"]
    let pipe = Pipe()
    process.standardOutput = pipe
    try? process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
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
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = ["-c", "import duckdb; print(duckdb.__version__)"]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return nil }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { return nil }
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
  }
}
