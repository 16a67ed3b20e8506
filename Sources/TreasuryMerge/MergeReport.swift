@_spi(Inlining) import TreasuryModel

/// What a `merge` did: the exit code the command ends with, and what went wrong or was written.
public struct MergeReport: Sendable {
  /// One of `ExitStatus`: 0 merged; 1 the folders do not make one run; 2 a shard does not verify or two overlap;
  /// 3 merged, but a statement or cross-check does not reconcile (as in the shards); 4 I/O.
  public var exitCode: Int32 = ExitStatus.success
  /// `path: error: …` lines, most important first.
  public var errors: [String] = []
  /// The merged folder.
  public var output: String = ""
  /// How many shards and statements went into it.
  public var shards = 0
  public var statements = 0
  /// Statements that do not reconcile, and failed cross-checks, as the shards found them.
  public var unreconciled = 0
  public var checkFailures = 0

  public init() {}

  /// One line for the terminal.
  public var summary: String {
    if exitCode != ExitStatus.success && exitCode != ExitStatus.unreconciled { return "merge failed" }
    var line = "merged \(shards.counted("shard")) into \(output): \(statements.counted("statement"))"
    if unreconciled > 0 { line += ", \(unreconciled) not reconciled" }
    if checkFailures > 0 { line += ", \(checkFailures.counted("cross-check")) failed" }
    return line
  }
}
