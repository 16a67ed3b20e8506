import Foundation
import TreasuryInput
import TreasuryLedger
@_spi(Inlining) import TreasuryModel
import TreasuryOutput

/// `manifest.json`: what the run read, what it wrote (with sha256), and what did not reconcile.
///
/// No wall-clock time: the same inputs and flags give the same bytes.
package struct Manifest: Codable, Sendable {
  package static let toolName = TreasuryReportVersion.toolName

  package var tool = Manifest.toolName
  package var version: String
  /// The flags that shape the output, normalized.
  package var options: [String: String]
  package var inputs: [InputFileStats]
  package var skippedInputs: [InputCatalog.SkippedFile]
  package var objects: ObjectCounts
  package var rejectedLines: Int
  package var statements: Int
  package var unreconciled: [UnreconciledStatement]
  package var checkFailures: Int
  /// The first `RunReport.listLimit` failures; `checkFailures` counts them all.
  package var checks: [CheckFailure]
  package var outputs: [OutputFile]
  /// `--shard K/N` of a shard's output folder (`Shard.description`); absent in an unsharded run's manifest.
  package var shard: String?
  /// A shard's inputs' positions among the unsharded run's (`inputs` are those positions' files, in order), so
  /// that `merge` restores the unsharded order.
  package var shardInputs: [Int]?
  /// A shard's connected accounts' names as its `account` objects give them (the least one when copies differ),
  /// whichever account's files held them: `merge` fills `accounts.csv`'s `account_name` from all shards'.
  package var accountNames: [String: String]?
  /// Whether a shard read live-mode objects (true) or test-mode ones (false); absent when it read none: `merge`
  /// refuses shards that differ, as one run refuses both modes.
  package var livemode: Bool?
  /// The shard folders (or URLs) a merged folder was made from, shard 0 first; absent elsewhere.
  package var mergedFrom: [String]?

  enum CodingKeys: String, CodingKey {
    case tool, version, options, inputs
    case skippedInputs = "skipped_inputs"
    case objects
    case rejectedLines = "rejected_lines"
    case statements, unreconciled
    case checkFailures = "check_failures"
    case checks, outputs, shard, livemode
    case shardInputs = "shard_inputs"
    case accountNames = "account_names"
    case mergedFrom = "merged_from"
  }

  package init(
    version: String, options: [String: String], inputs: [InputFileStats], skippedInputs: [InputCatalog.SkippedFile],
    objects: ObjectCounts, rejectedLines: Int, statements: Int, unreconciled: [UnreconciledStatement],
    checkFailures: Int, checks: [CheckFailure], outputs: [OutputFile]
  ) {
    self.version = version
    self.options = options
    self.inputs = inputs
    self.skippedInputs = skippedInputs
    self.objects = objects
    self.rejectedLines = rejectedLines
    self.statements = statements
    self.unreconciled = unreconciled
    self.checkFailures = checkFailures
    self.checks = checks
    self.outputs = outputs
  }

  package func encoded() throws -> [UInt8] { try canonicalJSON() }
}
