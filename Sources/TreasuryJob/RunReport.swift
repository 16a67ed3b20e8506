import Foundation
import TreasuryArchive
import TreasuryInput
import TreasuryLedger
@_spi(Inlining) import TreasuryModel
import TreasuryOutput

/// What a run did, for people (stderr) and for schedulers (`--report-json`).
public struct RunReport: Codable, Sendable {
  /// How many failures and problem lines are listed in full.
  package static let listLimit = 100

  public var exitCode: Int32 = 0
  /// `ok`, `unreconciled`, `usage_error`, `invalid_input` or `io_error`.
  public var status = "ok"
  public var errors: [String] = []
  public var output: String?
  package var inputs: [InputFileStats] = []
  package var skippedInputs: [InputCatalog.SkippedFile] = []
  /// Staging folders of killed runs removed (or put back) beside the output, one sentence each.
  package var leftoversRemoved: [String] = []
  package var objects = ObjectCounts()
  public var rejectedLines = 0
  public var statements = 0
  public var firstPeriod: String?
  public var lastPeriod: String?
  package var unreconciled: [UnreconciledStatement] = []
  public var checkFailures = 0
  package var checks: [CheckFailure] = []
  /// What the run did but may not be what was meant (a requested period without data), one line each.
  public var warnings: [String] = []
  /// The as-of time the statements were made for (`--as-of`, else the latest activity), in Unix seconds.
  package var dataAsOf: Int64?

  package init() {}

  enum CodingKeys: String, CodingKey {
    case exitCode = "exit_code"
    case status, errors, output, inputs
    case skippedInputs = "skipped_inputs"
    case leftoversRemoved = "leftovers_removed"
    case objects
    case rejectedLines = "rejected_lines"
    case statements
    case firstPeriod = "first_period"
    case lastPeriod = "last_period"
    case unreconciled
    case checkFailures = "check_failures"
    case checks, warnings
  }

  /// The report as lines for stderr, after `errors`.
  public var text: [String] {
    var lines: [String] = []
    let bytes = inputs.reduce(0) { $0 + $1.bytes }
    let lineCount = inputs.reduce(0) { $0 + $1.lines }
    if !inputs.isEmpty {
      var kinds = [
        objects.transactions.counted("transaction"), objects.entries.counted("entry", plural: "entries"),
        objects.financialAccounts.counted("financial account"), objects.accounts.counted("account"),
      ]
      for (type, count) in objects.ignored.sorted(by: { $0.key < $1.key }) {
        kinds.append("\(count) \(type) (not used)")
      }
      lines.append(
        "read \(inputs.count.counted("file")) (\(Self.size(bytes)), \(lineCount.counted("line"))): \(objects.read.counted("object")): \(kinds.joined(separator: ", "))"
      )
      lines.append(
        "dropped \(objects.duplicatesDropped.counted("duplicate copy", plural: "duplicate copies")); \(objects.staleCopiesSuperseded.counted("stale copy", plural: "stale copies")) superseded by a later state; \(objects.differingCopies.counted("differing same-state copy", plural: "differing same-state copies")) settled by rule"
      )
    }
    if !skippedInputs.isEmpty {
      lines.append(
        "skipped \(skippedInputs.count.counted("file")) in input folders: "
          + skippedInputs.prefix(5).map { "\($0.path) (\($0.reason))" }.joined(separator: ", ")
          + (skippedInputs.count > 5 ? ", …" : ""))
    }
    lines += leftoversRemoved
    if rejectedLines > 0 {
      lines.append("set aside \(rejectedLines.counted("invalid line")) in rejects.jsonl")
    }
    if let output, exitCode == 0 || exitCode == 3 {
      let range =
        firstPeriod.map { first in lastPeriod.map { $0 == first ? " (\(first))" : " (\(first) … \($0))" } ?? "" } ?? ""
      lines.append("wrote \(statements.counted("statement"))\(range) to \(output)")
    }
    lines += warnings
    if !unreconciled.isEmpty {
      lines.append(
        unreconciled.count == 1
          ? "1 statement does not reconcile:" : "\(unreconciled.count) statements do not reconcile:")
      lines += unreconciled.prefix(Self.listLimit).map { "  " + $0.message }
    }
    if checkFailures > 0 {
      lines.append("\(checkFailures.counted("cross-check")) failed:")
      lines += checks.prefix(20).map { "  " + $0.message }
      if checkFailures > 20 { lines.append("  … and \(checkFailures - 20) more (see manifest.json)") }
    }
    if exitCode == ExitStatus.unreconciled {
      lines.append(
        "exit 3: the statements were written, but not everything reconciles (pass --allow-unreconciled to accept)")
    }
    return lines
  }

  /// Writes the report as JSON to `path`, through a temporary file so a reader never sees half of it.
  public func write(jsonTo path: String) throws {
    let data = Data(try canonicalJSON())
    let temporary = path + ".partial-" + String(ProcessInfo.processInfo.processIdentifier)
    try data.write(to: URL(fileURLWithPath: temporary))
    guard rename(temporary, path) == 0 else {
      let reason = String(cString: strerror(errno))
      try? FileManager.default.removeItem(atPath: temporary)
      throw OutputError.cannotWrite(path: path, reason: reason)
    }
  }

  static func size(_ bytes: Int) -> String {
    if bytes < 1 << 10 { return "\(bytes) B" }
    let (unit, divisor) = bytes < 1 << 20 ? ("KiB", 1 << 10) : ("MiB", 1 << 20)
    let tenths = bytes * 10 / divisor
    return "\(tenths / 10).\(tenths % 10) \(unit)"
  }
}
