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
      Examples:
        # Every month from the first to the last activity, in UTC
        treasury-report statements dumps/ --out statements/
        # March 2026 in New York time, replacing an earlier run in march/
        treasury-report statements dumps/ --out march/ --period 2026-03 \\
          --tz America/New_York --replace
        # What the accountant imports, for one connected account
        treasury-report statements dumps/ --out q1/ --only acct_1Abc \\
          --from 2026-01-01 --to 2026-04-01 --format csv:quickbooks,ofx,html
        # Shard 1 of 3 (run 0/3 and 2/3 elsewhere), then put the three together
        treasury-report statements dumps/ --out shard-1/ --shard 1/3 \\
          --period 2026-03
        treasury-report merge shard-0/ shard-1/ shard-2/ --out statements/
        # A dump from a pipe, filed under a connected account
        zcat dump.jsonl.gz | treasury-report statements - --out out/ \\
          --account acct_1Abc

      Exit codes: 0 done; 1 usage error (an --out holding an earlier run without --replace included); \
      2 invalid input, or no Treasury objects read (nothing written); \
      3 written, but some statement or cross-check does not reconcile; 4 I/O error.
      """
  )

  @Argument(
    help: ArgumentHelp(
      "Dump files or folders (searched for *.jsonl, *.json, *.jsonl.gz, *.json.gz); - reads standard input.",
      valueName: "input"))
  var inputs: [String]

  @Option(
    help: ArgumentHelp(
      "Output folder; built beside it and moved into place only when complete.", valueName: "dir"))
  var out: String

  @Flag(
    help: """
      Replace an earlier run in --out (the whole folder, files added to it included); without it, such a folder \
      is refused and what it holds is shown.
      """)
  var replace = false

  @Option(help: ArgumentHelp("IANA time zone for period boundaries and times.", valueName: "zone"))
  var tz = "UTC"

  @Option(help: "Period length: day, week, month, quarter, year, or range (with --from and --to).")
  var interval: Interval?

  @Option(help: ArgumentHelp("One period: 2026, 2026-Q1, 2026-03, 2026-W11 or 2026-03-15.", valueName: "period"))
  var period: String?

  @Option(
    help: ArgumentHelp(
      "First date (YYYY-MM-DD): periods overlapping [from, to) are made.", valueName: "date"))
  var from: String?

  @Option(help: ArgumentHelp("End date (YYYY-MM-DD), exclusive.", valueName: "date"))
  var to: String?

  @Option(
    help: ArgumentHelp(
      """
      Refuse a run whose statements would span more than this many periods (from the earliest activity, or \
      --from, to the latest, or --to; however many accounts): so long a span is nearly always a mistyped date. \
      Default: the periods of 50 years (600 months, 18263 days, 2609 weeks, 200 quarters, 50 years).
      """, valueName: "n"))
  var maxPeriods: Int?

  @Option(
    help: ArgumentHelp(
      "The connected account of inputs under no acct_… folder (standard input, say); otherwise the platform's.",
      valueName: "acct_…"))
  var account: String?

  @Option(
    help: ArgumentHelp(
      """
      Limit the run to this connected account (acct_…: every financial account filed under it) or financial \
      account (fa_…); repeatable. A value that matches nothing in the inputs is an error.
      """, valueName: "id"))
  var only: [String] = []

  @Option(
    help: ArgumentHelp(
      """
      Only the connected accounts of shard K of N (FNV-1a 64 of the acct_ id mod N; the platform and files under \
      no acct_… folder on shard 0); other accounts' files are not opened. Needs fixed periods (--period, or \
      --from with --to) and, with camt053/ofx/bai2/html, --as-of. Put the N folders together with merge.
      """, valueName: "K/N"))
  var shard: String?

  @Option(
    help: ArgumentHelp(
      """
      What to write, comma-separated: csv (the CSV files); summary (summary.csv and manifest.json only); \
      csv:PROFILE (booked lines in a CSV profile's layout, transactions.PROFILE.csv: quickbooks, xero, \
      excel-eu, default, or csv/PROFILE.json inside the --templates folder; repeatable); \
      camt053 (ISO 20022 camt.053.001.02 per statement, statement.camt053.xml); \
      camt053.08 (camt.053.001.08, statement.camt053.08.xml); \
      ofx (OFX 1.02 SGML per statement, statement.ofx); ofx2 (OFX 2.2 XML, statement.ofx2.ofx); \
      bai2 (one BAI2 file per period for every account, <period>/statements.bai2); \
      html (a printable statement per account and period, statement.html).
      """, valueName: "formats"))
  var format = "csv"

  @Option(
    help: ArgumentHelp(
      """
      A folder of templates used before the built-in ones: csv/NAME.json inside it (the CSV profile for \
      --format csv:NAME) and html/statement.mustache (the HTML statement).
      """, valueName: "dir"))
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
    help: ArgumentHelp(
      """
      The data's as-of time, used as the creation time of camt.053, OFX, BAI2 and HTML documents \
      (2026-04-01T06:30:00Z, with an offset, or a date in --tz); default: the latest activity in the input.
      """, valueName: "time"))
  var asOf: String?

  @Flag(help: "Set invalid lines aside in rejects.jsonl instead of stopping.")
  var skipInvalid = false

  @Flag(
    help: """
      Accept inputs that hold no Treasury object (an empty file, pipe or folder, or every line set aside): \
      write a run of no statements instead of exiting 2.
      """)
  var allowEmpty = false

  @Flag(help: "Exit 0 even when a statement or cross-check does not reconcile.")
  var allowUnreconciled = false

  @Flag(help: "Also write each statement's voided transactions (voided.csv).")
  var listVoided = false

  @Flag(help: "Write every output as NAME.gz (manifest.json stays plain).")
  var gzip = false

  @Option(
    help: ArgumentHelp(
      "Deflate level for --gzip outputs and --archive archives: 0 (store) … 9 (smallest); default 6.",
      valueName: "level"))
  var gzipLevel: Int32?

  @Flag(help: "Also write archive/<period>.tar.gz per period: its statement files, summary rows and a manifest.")
  var archive = false

  @Option(
    help: ArgumentHelp(
      "Parallel workers (default: the number of cores). Output does not depend on it.", valueName: "n"))
  var jobs: Int?

  @Option(
    help: ArgumentHelp(
      "Partition a connected account's inputs through temporary files above this many MiB (bounds memory).",
      visibility: .hidden))
  var partitionThresholdMib = 64

  @Option(help: ArgumentHelp("Also write the run report as JSON to this file (outside --out).", valueName: "file"))
  var reportJson: String?

  @Flag(inversion: .prefixedNo, help: "Show a progress line (default: when stderr is a terminal).")
  var progress: Bool?

  func validate() throws {
    if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    if let shard, Shard(shard) == nil {
      throw ValidationError("--shard takes \(Shard.expectedForm), found '\(shard)'")
    }
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
    options.only = only
    options.shard = shard.flatMap { Shard($0) } ?? .whole
    options.replace = replace
    options.allowEmpty = allowEmpty
    options.select(formatNames.compactMap(StatementsOptions.FormatItem.init))
    options.templates = templates
    options.skipInvalid = skipInvalid
    options.allowUnreconciled = allowUnreconciled
    options.listVoided = listVoided
    options.camtPending = camtPending
    options.ofxOrganization = ofxOrg
    options.ofxInstitutionID = ofxFid
    options.asOf = asOf
    options.jobs = jobs ?? ProcessInfo.processInfo.activeProcessorCount
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
