import ArgumentParser
import Foundation

/// The benchmark run: every job side by side with DuckDB, `verify` and pigz, and the targets as ratios.
struct BenchRun: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Run the benchmark (the default): datasets, alternating timed runs, the report."
  )

  @Option(help: "Folder with release builds of treasury-report, treasury-gen and treasury-bench.")
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

  @Option(help: "Flags of the export job.")
  var exportJob = "--format csv:quickbooks,ofx,bai2,html"

  @Option(help: "Also write the results between the bench markers of this file (make bench: BENCHMARKS.md).")
  var output: String?

  func run() throws {
    let tool = bin + "/treasury-report"
    try FileManager.default.createDirectory(atPath: cache, withIntermediateDirectories: true)
    let python = try DuckDB.ensure(venv: venv, version: duckdbVersion)
    let duckdbScript = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
      "duckdb-summary.py"
    ).path
    guard
      Measurement.output(of: ["pigz", "--version"]) != nil || FileManager.default.fileExists(atPath: "/usr/bin/pigz")
    else {
      print("pigz is missing (make test-deps installs it)")
      throw ExitCode.failure
    }

    let bench = Bench(
      tool: tool, benchTool: bin + "/treasury-bench", python: python, duckdbScript: duckdbScript, cache: cache,
      rounds: rounds)
    let scaleValues = scales.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
    let reference = Dataset.scaled(self.reference, cache: cache)
    let scaled = scaleValues.map { Dataset.scaled($0, cache: cache) }
    let mixedData = Dataset.mixed(self.reference, cache: cache)
    for dataset in scaled + [reference, mixedData] {
      guard dataset.ensure(generator: bin + "/treasury-gen") else { throw ExitCode.failure }
    }
    // The full job's files, uncompressed, for the gzip comparison: written once, not timed.
    let gzipInput = cache + "/gzip-input"
    try? FileManager.default.removeItem(atPath: gzipInput)
    let plainFlags = fullJob.split(separator: " ").map(String.init).filter { $0 != "--gzip" && $0 != "--archive" }
    guard
      Measurement.run([tool, "statements", reference.path, "--out", gzipInput, "--no-progress"] + plainFlags) != nil
    else { throw ExitCode.failure }

    // Every job on the reference data, with DuckDB after the summary, `verify` after the full job (of its
    // folder) and the gzip comparison after the export job, in each round: all see the same machine.
    let jobs = Bench.jobs(fullJob: fullJob, exportJob: exportJob)
    let main = bench.compare(reference, jobs: jobs, extras: bench.extras(gzipInput: gzipInput))
    let gzipSizes = bench.gzipSizes()
    let sharding = ShardBench(bench: bench, dataset: reference, fullJob: fullJob).measure()
    // One mixed file: every job again, for its peak memory (and the summary's place in the scaling table).
    let mixed = bench.compare(mixedData, jobs: jobs, extras: [])
    var scaling: [Bench.Comparison] = []
    for dataset in scaled {
      scaling.append(
        dataset.path == reference.path
          ? main : bench.compare(dataset, jobs: [jobs[0]], extras: []))
    }

    let report = Report(
      main: main, scaling: scaling, mixed: mixed, gzip: gzipSizes, fullJob: fullJob, exportJob: exportJob,
      rounds: rounds, duckdbVersion: DuckDB.version(python: python) ?? duckdbVersion,
      pigzVersion: Measurement.output(of: ["pigz", "--version"]) ?? "pigz",
      toolVersion: Measurement.output(of: [tool, "--version"]) ?? "unknown", commit: Self.commit(),
      sharding: sharding)
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
