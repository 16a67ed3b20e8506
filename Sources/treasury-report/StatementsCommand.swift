import ArgumentParser
import Foundation
import TreasuryJob
import TreasuryModel
import TreasuryOutput

extension Interval: ExpressibleByArgument {}

struct StatementsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "statements",
    abstract: "Compute statements per financial account, currency and period from dumps.",
    discussion: """
      Exit codes: 0 done; 1 usage error; 2 invalid input (nothing written); \
      3 written, but some statement or cross-check does not reconcile; 4 I/O error.
      """
  )

  @Argument(
    help: "Dump files or folders (searched for *.jsonl, *.json, *.jsonl.gz, *.json.gz); - reads standard input.")
  var inputs: [String]

  @Option(help: "Output folder; built beside it and moved into place only when complete.")
  var out: String

  @Option(help: "IANA time zone for period boundaries and times.")
  var tz = "UTC"

  @Option(help: "Period length: day, week, month, quarter, year, or range (with --from and --to).")
  var interval: Interval?

  @Option(help: "One period: 2026, 2026-Q1, 2026-03, 2026-W11 or 2026-03-15.")
  var period: String?

  @Option(help: "First date (YYYY-MM-DD): periods overlapping [from, to) are made.")
  var from: String?

  @Option(help: "End date (YYYY-MM-DD), exclusive.")
  var to: String?

  @Option(
    help: """
      Refuse a run whose statements would span more than this many periods (from the earliest activity, or \
      --from, to the latest, or --to; however many accounts): so long a span is nearly always a mistyped date. \
      Default: the periods of 50 years (600 months, 18263 days, 2609 weeks, 200 quarters, 50 years).
      """)
  var maxPeriods: Int?

  @Option(help: "Connected account (acct_…) for inputs whose path names none.")
  var account: String?

  @Option(
    help: """
      What to write, comma-separated: csv (default); summary (summary.csv and manifest.json only); \
      csv:PROFILE (booked lines in a CSV profile's layout, transactions.PROFILE.csv: quickbooks, xero, \
      excel-eu, default, or one from --templates; repeatable); \
      camt053 (ISO 20022 camt.053.001.02 per statement, statement.camt053.xml); \
      camt053.08 (camt.053.001.08, statement.camt053.08.xml); \
      ofx (OFX 1.02 SGML per statement, statement.ofx); ofx2 (OFX 2.2 XML, statement.ofx2.ofx); \
      bai2 (one BAI2 file per period for every account, <period>/statements.bai2); \
      html (a printable statement per account and period, statement.html).
      """)
  var format = "csv"

  @Option(
    help: """
      A folder of templates used before the built-in ones: csv/NAME.json (CSV profiles for --format csv:NAME) \
      and html/statement.mustache (the HTML statement).
      """)
  var templates: String?

  @Flag(help: "In camt.053 files, also list transactions open at the period's end as PDNG entries (never in totals).")
  var camtPending = false

  @Option(
    help: ArgumentHelp(
      "OFX files' institution name (FI ORG, 1 to 32 printable ASCII characters; default: Stripe Treasury).",
      valueName: "name"))
  var ofxOrg: String?

  @Option(
    help: ArgumentHelp(
      "OFX files' institution id (FI FID, 1 to 32 printable ASCII characters; default: stripe-treasury).",
      valueName: "id"))
  var ofxFid: String?

  @Option(
    help: """
      The data's as-of time, used as the creation time of camt.053, OFX, BAI2 and HTML documents (2026-04-01T06:30:00Z, with an offset, or a date in --tz); \
      default: the latest activity in the input.
      """)
  var asOf: String?

  @Flag(help: "Set invalid lines aside in rejects.jsonl instead of stopping.")
  var skipInvalid = false

  @Flag(help: "Exit 0 even when a statement or cross-check does not reconcile.")
  var allowUnreconciled = false

  @Flag(help: "Also write each statement's voided transactions (voided.csv).")
  var listVoided = false

  @Flag(help: "Write every output as NAME.gz (manifest.json stays plain).")
  var gzip = false

  @Option(help: "Deflate level for --gzip outputs and --archive archives: 0 (store) … 9 (smallest).")
  var gzipLevel: Int32?

  @Flag(help: "Also write archive/<period>.tar.gz per period: its statement files, summary rows and a manifest.")
  var archive = false

  @Option(help: "Parallel workers (default: the number of cores). Output does not depend on it.")
  var jobs = ProcessInfo.processInfo.activeProcessorCount

  @Option(
    help: ArgumentHelp(
      "Partition a connected account's inputs through temporary files above this many MiB (bounds memory).",
      visibility: .hidden))
  var partitionThresholdMib = 64

  @Option(help: "Also write the run report as JSON to this file.")
  var reportJson: String?

  @Flag(inversion: .prefixedNo, help: "Show a progress line (default: when stderr is a terminal).")
  var progress: Bool?

  func validate() throws {
    guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
    if let maxPeriods, maxPeriods < 1 { throw ValidationError("--max-periods must be at least 1") }
    if let gzipLevel {
      guard (0...9).contains(gzipLevel) else {
        throw ValidationError("--gzip-level takes 0 (store) … 9 (smallest), found \(gzipLevel)")
      }
      guard gzip || archive else { throw ValidationError("--gzip-level needs --gzip or --archive") }
    }
    for name in formatNames where StatementsOptions.FormatItem(name) == nil {
      throw ValidationError(
        "--format takes csv, summary, csv:PROFILE, camt053, camt053.08, ofx, ofx2, bai2 or html (comma-separated), found '\(name)'"
      )
    }
    var options = StatementsOptions(inputs: [], output: "")
    options.select(formatNames.compactMap(StatementsOptions.FormatItem.init))
    for name in options.csvProfiles where name.isEmpty {
      throw ValidationError("--format csv:PROFILE needs a profile name, such as csv:quickbooks")
    }
    if options.camtVersions.isEmpty && camtPending {
      throw ValidationError("--camt-pending needs --format camt053 or camt053.08")
    }
    if !options.usesAsOf && asOf != nil {
      throw ValidationError("--as-of needs --format camt053, camt053.08, ofx, ofx2, bai2 or html")
    }
    for (flag, value) in [("--ofx-org", ofxOrg), ("--ofx-fid", ofxFid)] {
      guard let value else { continue }
      guard !options.formats.isDisjoint(with: [.ofx, .ofx2]) else {
        throw ValidationError("\(flag) needs --format ofx or ofx2")
      }
      if let problem = StatementsOptions.ofxInstitutionProblem(value) {
        throw ValidationError("\(flag) \(problem), found '\(value)'")
      }
    }
    if options.csvProfiles.isEmpty && !options.formats.contains(.html) && templates != nil {
      throw ValidationError("--templates needs --format csv:PROFILE or html")
    }
    if let reportJson, let problem = StatementsOptions(inputs: inputs, output: out).reportProblem(reportJson) {
      throw ValidationError(problem)
    }
  }

  private var formatNames: [String] {
    format.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
  }

  func run() throws {
    InterruptCleanup.install()
    var options = StatementsOptions(inputs: inputs, output: out)
    options.timeZone = tz
    options.interval = interval
    options.period = period
    options.from = from
    options.to = to
    options.maxPeriods = maxPeriods
    options.account = account
    options.select(formatNames.compactMap(StatementsOptions.FormatItem.init))
    options.templates = templates
    options.skipInvalid = skipInvalid
    options.allowUnreconciled = allowUnreconciled
    options.listVoided = listVoided
    options.camtPending = camtPending
    options.ofxOrganization = ofxOrg
    options.ofxInstitutionID = ofxFid
    options.asOf = asOf
    options.jobs = jobs
    options.partitionThreshold = max(0, partitionThresholdMib) << 20
    options.gzip = gzip
    options.gzipLevel = gzipLevel ?? 6
    options.archive = archive

    var job = StatementsJob(options: options)
    job.showProgress = progress ?? (isatty(2) == 1)
    var report = job.run()
    if let path = reportJson {
      do {
        try report.write(jsonTo: path)
      } catch {
        report.errors.append("\(path): error: cannot write the report: \(error)")
        if report.exitCode == ExitStatus.success { report.exitCode = ExitStatus.ioError }
      }
    }
    Diagnostics.print(report)
    if report.exitCode != ExitStatus.success { throw ExitCode(report.exitCode) }
  }
}
