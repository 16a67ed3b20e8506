import Foundation

/// `manifest.json`: what the run read, what it wrote (with sha256), and what did not reconcile.
///
/// No wall-clock time: the same inputs and flags give the same bytes.
public struct Manifest: Codable, Sendable {
  public static let toolName = "treasury-report"

  public var tool = Manifest.toolName
  public var version: String
  /// The flags that shape the output, normalized.
  public var options: [String: String]
  public var inputs: [InputFileStats]
  public var skippedInputs: [InputCatalog.SkippedFile]
  public var objects: ObjectCounts
  public var rejectedLines: Int
  public var statements: Int
  public var unreconciled: [UnreconciledStatement]
  public var checkFailures: Int
  /// The first `RunReport.listLimit` failures; `checkFailures` counts them all.
  public var checks: [CheckFailure]
  public var outputs: [OutputFile]

  enum CodingKeys: String, CodingKey {
    case tool, version, options, inputs
    case skippedInputs = "skipped_inputs"
    case objects
    case rejectedLines = "rejected_lines"
    case statements, unreconciled
    case checkFailures = "check_failures"
    case checks, outputs
  }

  public func encoded() throws -> [UInt8] { try canonicalJSON() }
}

/// A statement whose identity did not hold, with the numbers that show it.
public struct UnreconciledStatement: Codable, Sendable, Hashable {
  public var financialAccount: String
  public var currency: String
  public var period: String
  /// closing booked − opening booked, in major units.
  public var netBooked: String
  /// credits − debits, in major units.
  public var netPosted: String
  public var difference: String

  public init(_ s: Statement) {
    let digits = Money.minorDigits(currency: s.key.currency)
    financialAccount = s.key.financialAccount
    currency = s.key.currency
    period = s.key.period.label
    netBooked = DecimalAmount.string(s.closing.booked - s.opening.booked, digits: digits)
    netPosted = DecimalAmount.string(s.credits - s.debits, digits: digits)
    difference = DecimalAmount.string(s.difference, digits: digits)
  }

  public var message: String {
    "\(financialAccount) \(currency) \(period): closing − opening booked is \(netBooked) but credits − debits is \(netPosted) (difference \(difference))"
  }

  enum CodingKeys: String, CodingKey {
    case financialAccount = "financial_account"
    case currency, period
    case netBooked = "net_booked"
    case netPosted = "net_posted"
    case difference
  }
}

/// `rejects.jsonl`: each line set aside by `--skip-invalid`, one JSON object per line (written by `RejectLog`).
public enum RejectsJSONL {}
