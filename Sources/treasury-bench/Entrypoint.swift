import ArgumentParser

/// `treasury-bench`: the benchmark behind `make bench`, treasury-report against DuckDB and pigz on generated dumps.
@main
struct Entrypoint: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "treasury-bench",
    abstract: "Benchmark treasury-report against DuckDB and pigz; print the results (and write them with --output).",
    subcommands: [BenchRun.self, GzipFiles.self],
    defaultSubcommand: BenchRun.self
  )
}
