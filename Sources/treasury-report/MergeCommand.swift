import ArgumentParser
import Foundation
import TreasuryMerge
import TreasuryModel
import TreasuryOutput
import TreasuryPublish

struct MergeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "merge",
    abstract: "Put the output folders of statements --shard K/N back together into one run's folder.",
    discussion: """
      Writes the folder one unsharded statements run over the same inputs with the same flags writes, byte for \
      byte; its manifest.json adds merged_from, the shard folders. Every shard is verified first; shards made \
      with different flags or versions, a shard missing or named twice, and an account in two shards are refused.

      Examples:
        treasury-report statements dumps/ --out s0/ --shard 0/2 --period 2026-03
        treasury-report statements dumps/ --out s1/ --shard 1/2 --period 2026-03
        treasury-report merge s0/ s1/ --out statements/
        # Shards that each published their folder to a prefix of their own
        treasury-report merge s3://acme/shards/0 s3://acme/shards/1 --out statements/ --s3-region eu-west-1

      Exit codes: 0 merged; 1 usage error, or the folders are not the N shards of one run; 2 a shard does not \
      verify, or two shards hold one account; 3 merged, but some statement or cross-check does not reconcile \
      (as in the shards); 4 I/O error.
      """
  )

  @Argument(
    help: ArgumentHelp("The shards' output folders (each written by statements --shard K/N).", valueName: "shard"))
  var shards: [String]

  @Option(
    help: ArgumentHelp(
      "Output folder; built beside it and moved into place only when complete.", valueName: "dir"))
  var out: String

  @Flag(help: "Replace an earlier output of treasury-report in --out.")
  var replace = false

  @OptionGroup(title: "Storage (for s3:// URLs)")
  var storage: StorageFlags

  func validate() throws {
    if shards.contains(where: StorageVerifyJob.isStorageURL), let problem = storage.options.problem {
      throw ValidationError(problem)
    }
  }

  func run() async throws {
    InterruptCleanup.install()
    var merge = ShardMerge(shards: shards, output: out)
    merge.replace = replace
    let report = await merge.run(storage: storage.options)
    Diagnostics.write(TerminalText.lines(report.errors + ["treasury-report: " + report.summary]))
    if report.exitCode != ExitStatus.success { throw ExitCode(report.exitCode) }
  }
}
