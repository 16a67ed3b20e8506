import ArgumentParser
import Foundation
import TreasuryModel
import TreasuryOutput
import TreasuryRun

struct RunCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "The scheduled pass: build, publish final statements once, restate changed ones, index them.",
    discussion: """
      Reads a YAML config (see README, Monthly runs). Takes a lock in the storage target, builds every period \
      from the dumps, publishes each statement whose period ended more than settle_window ago as version 1, \
      leaves unchanged ones alone, publishes a changed final statement as the next version with \
      restatement.csv beside it, appends index.jsonl, writes runs/<run-id>.json and releases the lock. Safe \
      to run every day; a killed run is finished by the next. Credentials come from the environment, never \
      from the file.

      Examples:
        treasury-report run --config /etc/treasury/run.yaml
        treasury-report run --config run.yaml --as-of 2026-04-04T00:00:00Z --dry-run
        treasury-report run --config run.yaml --print-config
        # A sharded run (README, Running on Kubernetes): each shard, anywhere, then the merge
        treasury-report run --config run.yaml --shard 3/8 --as-of 2026-04-04T06:30:00Z
        treasury-report run --config run.yaml --merge-shards 8 --as-of 2026-04-04T06:30:00Z

      Exit codes: 0 done; 1 usage or config error; 2 invalid input; 3 some statement does not reconcile; \
      4 I/O error; 5 storage did not finish: run again; 6 a final statement was restated (look at its \
      restatement.csv); 7 another run holds the lock; 8 an object already holds other bytes.
      """
  )

  @Option(help: "The run's YAML config file.")
  var config: String

  @Option(help: "The instant the data is complete up to (2026-04-04T00:00:00Z); default: the latest activity.")
  var asOf: String?

  @Flag(help: "Build and compare, print what would be published; write nothing to the target.")
  var dryRun = false

  @Flag(help: "Break another run's lock when it is older than lock_max_age.")
  var breakLock = false

  @Flag(help: "Print the effective configuration (defaults filled in) and exit.")
  var printConfig = false

  @Option(help: "Also write the run's summary as JSON to this file.")
  var reportJson: String?

  @Option(
    help: ArgumentHelp(
      "Sharded run, step 1: fetch only shard K of N (source.api; needs --as-of) and upload it to shards/<as-of>/K-of-N/ in the target; publishes nothing.",
      valueName: "K/N"))
  var shard: String?

  @Option(
    help: ArgumentHelp(
      "Sharded run, step 2: build from the N shards uploaded for --as-of instead of fetching, then publish as an unsharded run.",
      valueName: "N"))
  var mergeShards: Int?

  func validate() throws {
    if let shard, Shard(shard) == nil {
      throw ValidationError("--shard takes \(Shard.expectedForm), found '\(shard)'")
    }
    if let mergeShards, !(1...Shard.maximumCount).contains(mergeShards) {
      throw ValidationError("--merge-shards takes the number of shards, 1 to \(Shard.maximumCount)")
    }
    if shard != nil && mergeShards != nil {
      throw ValidationError("--shard and --merge-shards are the two steps of a sharded run: give one")
    }
    if (shard != nil || mergeShards != nil) && asOf == nil {
      throw ValidationError("--shard and --merge-shards need --as-of: the same instant for every shard and the merge")
    }
    if shard != nil && dryRun {
      throw ValidationError("--dry-run does not apply to --shard (a shard publishes nothing)")
    }
  }

  func run() async throws {
    let loaded: RunConfig
    do {
      loaded = try ConfigReader.read(config)
    } catch {
      Diagnostics.write(TerminalText.lines([error.message]))
      throw ExitCode(error.exitStatus)
    }
    if printConfig {
      print(loaded.yaml, terminator: "")
      return
    }
    var options = RunOptions(config: loaded)
    options.asOf = asOf
    options.dryRun = dryRun
    options.breakLock = breakLock
    options.shard = shard.flatMap { Shard($0) }
    options.mergeShards = mergeShards
    var summary = await RunJob(options: options).run()
    if let path = reportJson {
      do { try summary.write(jsonTo: path) } catch {
        summary.errors.append("\(path): error: cannot write the report: \(error)")
        if summary.exitCode == ExitStatus.success { summary.exitCode = ExitStatus.ioError }
      }
    }
    Diagnostics.write(TerminalText.lines(summary.lines))
    if summary.exitCode != ExitStatus.success { throw ExitCode(summary.exitCode) }
  }
}
