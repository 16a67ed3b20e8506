import Foundation
import TreasuryArchive
import TreasuryInput
@_spi(Inlining) import TreasuryModel
import TreasuryOutput
import TreasuryRender

/// `merge`: the output folders of `statements --shard K/N`, K = 0…N-1, put together as one unsharded run writes them.
///
/// Every file of the merged folder is the unsharded run's, byte for byte, and
/// so is `manifest.json` but for one more field, `merged_from` (the shard
/// folders, shard 0 first). Each shard folder is verified first; the shards
/// must be made by one version with the same flags, and hold every K once and
/// no financial account twice. Statement files are copied as they are;
/// `summary.csv` and `accounts.csv` are merged row by row in the unsharded
/// order; archives are rebuilt from the copied members (`MergedArchives`).
/// The folder is staged and moved into place whole, as `statements` does.
///
/// ```swift
/// let report = ShardMerge(shards: ["shard-0", "shard-1"], output: "out").run()
/// if report.exitCode != ExitStatus.success { print(report.errors.joined(separator: "\n")) }
/// ```
public struct ShardMerge: Sendable {
  /// The shard folders, in any order.
  public var shards: [String]
  /// The merged folder (`--out`).
  public var output: String
  /// `--replace`: an earlier output of this tool in `output` may be replaced.
  public var replace = false
  /// How each shard is named in messages and in `merged_from` (default: its path); a caller that downloaded
  /// shards from storage passes the URLs here.
  public var shownAs: [String]?

  public init(shards: [String], output: String) {
    self.shards = shards
    self.output = output
  }

  /// Merges, never throwing: failures are in the report with the exit code.
  public func run() -> MergeReport {
    var report = MergeReport()
    report.output = output
    do throws(MergeError) {
      try execute(&report)
    } catch {
      report.exitCode = error.exitCode
      report.errors = error.message.split(separator: "\n").map(String.init)
    }
    return report
  }

  private func execute(_ report: inout MergeReport) throws(MergeError) {
    guard !shards.isEmpty else { throw .mismatch("error: merge needs the shard folders to put together") }
    let names = shownAs ?? shards
    try verify(names)
    var folders: [ShardFolder] = []
    for (path, shown) in zip(shards, names) { folders.append(try ShardFolder(path: path, shownAs: shown)) }
    let ordered = try ShardSet.check(folders)
    let options = ordered[0].manifest.options
    let gzip = options["gzip"] == "true"
    let level = Int32(options["gzip_level"] ?? "6") ?? 6
    let folder: OutputFolder
    do {
      folder = try OutputFolder(destination: output, gzipLevel: gzip ? level : nil, inputs: shards, replace: replace)
    } catch {
      throw .output(error)
    }
    defer { folder.discard() }

    try StatementFileCopy(folder: folder).copy(ordered)
    let tables = try MergedTables(ordered)
    let rejects = try MergedRejects.merge(ordered)
    let formats = Set((options["format"] ?? "").split(separator: ",").map(String.init))
    if !formats.isDisjoint(with: ["ofx", "ofx2"]), let shared = OFXDocument.sharedAccountID(tables.financialAccounts) {
      // Each shard checked its own accounts; two on different shards meet only here.
      throw .invalidShard(
        "error: financial accounts \(shared.first) and \(shared.second) would share the OFX ACCTID \(shared.id) (the last \(OFXDocument.accountIDLimit) characters of the id); an importer would take them for one account"
      )
    }
    do throws(OutputError) {
      try folder.write("summary.csv", tables.summary, rows: tables.summaryRows)
      if let accounts = tables.accounts { try folder.write("accounts.csv", accounts, rows: tables.accountRows) }
      if let rejects { try folder.write("rejects.jsonl", rejects.bytes, rows: rejects.rows) }
    } catch {
      throw .output(error)
    }
    if formats.contains("bai2") {
      try MergedBAI2(folder: folder, shards: ordered).write(
        tables.periods.map { ($0.label, $0.rows.reduce(0) { $0 + (Int($1.text(18)) ?? 0) }) })
    }
    if options["archive"] == "true" {
      try MergedArchives(folder: folder, level: level, shards: ordered).write(tables.periods, header: tables.header)
    }
    var manifest = MergedManifest(ordered, tables: tables).manifest(outputs: folder.files)
    manifest.mergedFrom = ordered.map(\.shown)
    do throws(OutputError) {
      let bytes: [UInt8]
      do { bytes = try manifest.encoded() } catch {
        throw OutputError.cannotWrite(path: "manifest.json", reason: "\(error)")
      }
      try folder.write("manifest.json", bytes, rows: nil, compressed: false)
      try folder.commit()
    } catch {
      throw .output(error)
    }
    report.shards = ordered.count
    report.statements = manifest.statements
    report.unreconciled = manifest.unreconciled.count
    report.checkFailures = manifest.checkFailures
    let problems = !manifest.unreconciled.isEmpty || manifest.checkFailures > 0
    if problems && options["allow_unreconciled"] != "true" { report.exitCode = ExitStatus.unreconciled }
  }

  /// Runs `verify` on every shard folder: one that does not hold (but for statements that do not reconcile,
  /// which the merged folder reports as the shard did) is refused.
  private func verify(_ names: [String]) throws(MergeError) {
    var problems: [String] = []
    for (path, shown) in zip(shards, names) {
      var info = stat()
      guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
        throw .mismatch("\(shown): error: not a folder; name the output folders of statements --shard K/N")
      }
      let result = VerifyJob(paths: [path]).run()
      guard result.exitCode != ExitStatus.success && result.exitCode != ExitStatus.unreconciled else { continue }
      problems += result.findings.prefix(10).map(\.line)
      problems.append("\(shown): error: the shard folder does not verify (\(result.summary)); run that shard again")
    }
    if !problems.isEmpty { throw .invalidShard(problems.joined(separator: "\n")) }
  }
}
