import Foundation
import TreasuryModel

/// What a `run` did: the run record (`runs/<run-id>.json`), `--report-json`, and the summary on stderr.
public struct RunSummary: Codable, Sendable {
  /// One input file and its SHA-256.
  public struct Input: Codable, Sendable {
    public var path: String
    public var sha256: String
  }

  public var run = ""
  public var exitCode: Int32 = 0
  public var status = "ok"
  public var dryRun = false
  public var target = ""
  /// The as-of time the run decided finality with (ISO 8601, UTC).
  public var asOf: String?
  public var startedAt = ""
  public var inputs: [Input] = []
  /// What was fetched (the API source); empty for dump folders.
  public var fetched: [String] = []
  /// Periods the run built statements for.
  public var periods: [String] = []
  /// Statement versions published (`2026-03/fa_…/usd/v1`).
  public var published: [String] = []
  public var unchanged = 0
  /// New versions that restate a final statement (`…/v2`), each with its restatement.csv.
  public var restated: [String] = []
  /// Statements not yet past their end plus the settle window (kept in the working folder).
  public var provisional: [String] = []
  /// Statements that do not reconcile (`period/financial account/currency`).
  public var unreconciled: [String] = []
  /// Index lines appended.
  public var indexLines = 0
  /// Seconds per step.
  public var steps: [String: Double] = [:]
  public var notes: [String] = []
  public var errors: [String] = []
  /// The working folder of this run (its statements, provisional ones included).
  public var workFolder = ""
  /// `run --shard K/N`: the shard this run fetched and uploaded (it publishes nothing); nil otherwise.
  public var shard: String?

  enum CodingKeys: String, CodingKey {
    case run
    case exitCode = "exit_code"
    case status
    case dryRun = "dry_run"
    case target
    case asOf = "as_of"
    case startedAt = "started_at"
    case inputs, fetched, periods, published, unchanged, restated, provisional, unreconciled
    case indexLines = "index_lines"
    case steps, notes, errors
    case workFolder = "work_folder"
    case shard
  }

  var json: Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
    return ((try? encoder.encode(self)) ?? Data()) + Data("\n".utf8)
  }

  /// Writes the summary as JSON to `path` (`--report-json`), whole or not at all.
  public func write(jsonTo path: String) throws {
    try json.write(to: URL(fileURLWithPath: path), options: .atomic)
  }

  /// The human summary for stderr.
  public var lines: [String] {
    var lines = notes
    if let shard {
      // A shard's part ends in the target's shards/ folder: the merge step publishes.
      lines.append(
        "run \(run) as of \(asOf ?? "?") into \(target): shard \(shard) fetched and uploaded; it publishes nothing (run --merge-shards does)"
      )
      return errors + lines
    }
    let verb = dryRun ? "would publish" : "published"
    lines.append(
      "run \(run) as of \(asOf ?? "?") into \(target): \(verb) \(published.count.counted("statement version")), \(unchanged) unchanged, \(restated.count.counted("restatement")), \(provisional.count) provisional"
    )
    for version in published { lines.append("  \(dryRun ? "would publish" : "published") \(version)") }
    for version in restated {
      lines.append("RESTATEMENT: \(version) restates a final statement: see restatement.csv beside it")
    }
    if !unreconciled.isEmpty {
      lines.append(
        "\(unreconciled.count.counted("statement")) \(unreconciled.count == 1 ? "does" : "do") not reconcile: "
          + unreconciled.prefix(5).joined(separator: ", "))
    }
    if !provisional.isEmpty { lines.append("provisional statements are in \(workFolder)/statements") }
    return errors + lines
  }
}
