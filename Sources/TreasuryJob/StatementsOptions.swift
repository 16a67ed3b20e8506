@_spi(Inlining) import TreasuryModel
import TreasuryOutput
import TreasuryRender

/// What a `statements` run should do, as given on the command line.
public struct StatementsOptions: Sendable {
  /// Which files a run writes.
  public enum Format: String, Sendable, CaseIterable {
    /// `summary.csv` and `manifest.json` only.
    case summary
    /// The summary plus accounts.csv and each statement's transactions, pending and entries CSV.
    case csv
    /// Each statement as ISO 20022 camt.053.001.02 (`statement.camt053.xml`).
    case camt053
    /// Each statement as camt.053.001.08 (`statement.camt053.08.xml`).
    case camt053v08 = "camt053.08"
    /// Each statement as OFX 1.02 SGML (`statement.ofx`).
    case ofx
    /// Each statement as OFX 2.2 XML (`statement.ofx2.ofx`).
    case ofx2
    /// One BAI2 file per period for every account (`<period>/statements.bai2`).
    case bai2
    /// Each statement as a printable HTML page (`statement.html`).
    case html

    /// The camt.053 version this format writes, if it is one.
    package var camtVersion: Camt053Version? {
      switch self {
      case .camt053: return .v02
      case .camt053v08: return .v08
      default: return nil
      }
    }
  }

  /// `--format` items: a format's name, or `csv:PROFILE`.
  public enum FormatItem: Equatable, Sendable {
    case format(Format)
    case profile(String)

    /// Nil for a name that is neither.
    public init?(_ text: String) {
      if text.hasPrefix("csv:") {
        self = .profile(String(text.dropFirst(4)))
      } else if let format = Format(rawValue: text) {
        self = .format(format)
      } else {
        return nil
      }
    }
  }

  package var inputs: [String]
  package var output: String
  public var timeZone: String = "UTC"
  /// Nil: month, or what `--period` implies.
  public var interval: Interval?
  public var period: String?
  public var from: String?
  public var to: String?
  /// The connected account of inputs whose path names none.
  public var account: String?
  /// `--only`: connected (`acct_…`) and financial (`fa_…`) accounts the run is limited to; empty: all of them.
  public var only: [String] = []
  /// `--replace`: an earlier run in the output folder may be replaced (without it, such a folder is refused).
  public var replace = false
  /// `--allow-empty`: inputs holding no Treasury object are a run of no statements, not an error.
  public var allowEmpty = false
  public var skipInvalid = false
  public var allowUnreconciled = false
  /// Also write each statement's voided transactions (`voided.csv`).
  public var listVoided = false
  public var formats: Set<Format> = [.csv]
  /// `--format csv:NAME`: CSV profiles from the templates, in the order given (no repeats).
  public var csvProfiles: [String] = []
  /// `--templates DIR`: a folder of CSV profiles and HTML templates that take the place of the built-in ones.
  public var templates: String?
  /// Write every output as `NAME.gz` (manifest.json excepted).
  public var gzip = false
  /// Deflate level 0…9 for gzipped outputs and archives.
  public var gzipLevel: Int32 = 6
  /// Also write `archive/<period>.tar.gz` for each period.
  public var archive = false
  /// Also list transactions open at a period's end in camt.053 documents, as PDNG entries outside the totals.
  public var camtPending = false
  /// OFX files' FI ORG (`--ofx-org`); nil: `OFXDocument.defaultOrganization`.
  public var ofxOrganization: String?
  /// OFX files' FI FID (`--ofx-fid`); nil: `OFXDocument.defaultInstitutionID`.
  public var ofxInstitutionID: String?
  /// The data's as-of time for camt.053 creation times (`2026-04-01T06:00:00Z`, an offset, or a date in
  /// `--tz`); nil: the latest activity in the input.
  public var asOf: String?
  /// The most periods a run's statements may span (from the first activity, or `--from`, to the last, or
  /// `--to`), whatever the number of accounts: a longer span is refused, since it is nearly always a mistyped
  /// timestamp or date (1970 to 8999 makes 84,000 months). Nil: the periods of 50 years
  /// (`PeriodPlan.defaultMaxPeriods`: 600 months, 18,263 days).
  public var maxPeriods: Int?
  /// `--shard K/N`: only the connected accounts this shard owns (`Shard.whole`: every account). A shard's output
  /// folder is one part of a run that `merge` puts back together.
  public var shard = Shard.whole
  /// Parallel workers; does not change any output byte.
  public var jobs = 1
  /// A connected account whose inputs exceed this many bytes is read in two phases through
  /// temporary partition files, so that memory stays bounded; does not change any output byte.
  public var partitionThreshold = 64 << 20

  public init(inputs: [String], output: String) {
    self.inputs = inputs
    self.output = output
  }

  /// The camt.053 versions to write, oldest first.
  public var camtVersions: [Camt053Version] { formats.compactMap(\.camtVersion).sorted() }

  /// True when each statement gets files of its own (CSV, camt.053, OFX, HTML, its part of a BAI2 file),
  /// which need the statement's lines.
  package var writesStatementFiles: Bool {
    !formats.isDisjoint(with: [.csv, .camt053, .camt053v08, .ofx, .ofx2, .bai2, .html]) || !csvProfiles.isEmpty
  }

  /// True when some output is dated by the data's as-of time (camt.053, OFX, BAI2, HTML).
  public var usesAsOf: Bool { !camtVersions.isEmpty || !formats.isDisjoint(with: [.ofx, .ofx2, .bai2, .html]) }

  /// Sets `formats` and `csvProfiles` from `--format` items.
  /// Why `--report-json` must not be written to `path` with these inputs and output, or nil (see
  /// `OutputFolder.reportProblem`).
  public func reportProblem(_ path: String) -> String? {
    OutputFolder.reportProblem(path, output: output, inputs: inputs)
  }

  public mutating func select(_ items: [FormatItem]) {
    formats = []
    csvProfiles = []
    for item in items {
      switch item {
      case .format(let format): formats.insert(format)
      case .profile(let name): if !csvProfiles.contains(name) { csvProfiles.append(name) }
      }
    }
  }

  /// Why `text` cannot be `--ofx-org` or `--ofx-fid`, or nil when it can.
  public static func ofxInstitutionProblem(_ text: String) -> String? { OFXDocument.institutionProblem(text) }

  /// The flags that shape the output, as recorded in the manifest.
  func recorded(_ plan: PeriodPlan) -> [String: String] {
    var values: [String: String] = [
      "inputs": inputs.joined(separator: " "),
      "tz": timeZone,
      "interval": plan.calendar.interval.rawValue,
      "list_voided": String(listVoided),
      "format": (formats.map(\.rawValue) + csvProfiles.map { "csv:" + $0 }).sorted().joined(separator: ","),
      "skip_invalid": String(skipInvalid),
      "allow_unreconciled": String(allowUnreconciled),
    ]
    values["period"] = period
    values["from"] = from
    values["to"] = to
    values["account"] = account
    if !only.isEmpty { values["only"] = only.sorted().joined(separator: ",") }
    // Recorded only when used, so that manifests of plain runs keep their bytes.
    values["templates"] = templates
    if gzip { values["gzip"] = "true" }
    if archive { values["archive"] = "true" }
    if gzip || archive { values["gzip_level"] = String(gzipLevel) }
    if !camtVersions.isEmpty { values["camt_pending"] = String(camtPending) }
    values["ofx_org"] = ofxOrganization
    values["ofx_fid"] = ofxInstitutionID
    if usesAsOf { values["as_of"] = asOf }
    return values
  }
}
