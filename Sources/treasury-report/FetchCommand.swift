import ArgumentParser
import Foundation
import Synchronization
import TreasuryFetch
import TreasuryModel

struct FetchCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "fetch",
    abstract: "Fetch Treasury data from the Stripe API into dumps that `statements` reads.",
    discussion: """
      Which accounts: one of --platform, --account or --all-accounts is required (they combine). \
      With --shard K/N the run keeps to its part of them: --all-accounts still lists every account but fetches \
      only the shard's own, --platform is fetched by shard 0 only, and an --account of another shard is skipped \
      (said on stderr). Run each shard into its own dumps folder; `statements` reads the folders together. \
      The key comes from STRIPE_API_KEY or --api-key-file, never from a flag. A stopped fetch resumes \
      when run again with the same options; a later run into the same dumps folder fetches only what is new.

      Examples:
        # Every connected account and the platform, then their statements
        STRIPE_API_KEY=sk_live_… treasury-report fetch --out dumps/ \\
          --platform --all-accounts
        treasury-report statements dumps/ --out statements/
        # Two connected accounts, from a scheduler, the key in a file
        treasury-report fetch --out dumps/ --account acct_1Abc \\
          --account acct_2Def --api-key-file /etc/treasury/stripe.key
        # Four machines share the platform's accounts and its rate limit
        treasury-report fetch --out dumps-2-of-4/ --platform --all-accounts --shard 2/4

      Exit codes: 0 done; 1 usage error; 2 the API answered something unexpected; 4 I/O error; \
      5 not everything could be fetched (run again to resume).
      """
  )

  @Option(help: ArgumentHelp("Folder for the dumps (created; later runs into it are incremental).", valueName: "dumps"))
  var out: String

  @Option(
    name: .customLong("account"),
    help: ArgumentHelp(
      "A connected account to fetch; repeatable. One of the three account flags is required.", valueName: "acct_…"))
  var accounts: [String] = []

  @Flag(help: "Fetch every connected account that GET /v1/accounts lists.")
  var allAccounts = false

  @Flag(help: "Fetch the platform's own financial accounts.")
  var platform = false

  @Option(
    help: ArgumentHelp(
      "Only objects created on or after this date (YYYY-MM-DD, UTC); first run into the dumps folder only.",
      valueName: "date"))
  var since: String?

  @Option(help: ArgumentHelp("API address (https; plain http only to 127.0.0.1, ::1 or localhost).", valueName: "url"))
  var apiBase = "https://api.stripe.com"

  @Option(
    help: ArgumentHelp(
      "Stripe-Version to pin (default: \(FetchOptions.pinnedStripeVersion), the version this tool is built against).",
      valueName: "version"))
  var stripeVersion: String?

  @Option(help: ArgumentHelp("Read the API key from this file instead of STRIPE_API_KEY.", valueName: "file"))
  var apiKeyFile: String?

  @Option(
    help: ArgumentHelp("Never accepted: a key on the command line shows in ps and shell history.", visibility: .hidden))
  var apiKey: String?

  @Option(
    help: ArgumentHelp(
      "Requests per second at most (default: 90 for live keys, 20 for test keys; with --shard K/N, 1/N of that, as Stripe's limit is per platform and the shards share it).",
      valueName: "n"))
  var maxRps: Double?

  @Option(
    help: ArgumentHelp(
      "Fetch only shard K of N: the connected accounts whose FNV-1a 64 hash of the id modulo N is K, and with --platform the platform on shard 0. Each shard needs its own --out folder.",
      valueName: "K/N"))
  var shard: String?

  @Option(help: ArgumentHelp("Financial accounts fetched in parallel.", valueName: "n"))
  var concurrency = 4

  @Option(
    help: ArgumentHelp(
      "Seconds one attempt of a request may take, from connecting to the last byte of the answer.",
      valueName: "seconds"))
  var timeout: Double = 30

  @Option(
    help: ArgumentHelp("Attempts per request (retries on 429, 5xx, timeouts, dropped connections).", valueName: "n"))
  var maxAttempts = 6

  @Option(
    help: ArgumentHelp("Seconds an incremental run reaches back before the previous run's start.", valueName: "seconds")
  )
  var overlap: Int64 = 3600

  @Option(help: ArgumentHelp("Objects per page (1-100).", visibility: .hidden))
  var pageSize = 100

  @Flag(help: "Discard an interrupted fetch in the dumps folder instead of resuming it.")
  var restart = false

  @Flag(inversion: .prefixedNo, help: "Show a progress line (default: when stderr is a terminal).")
  var progress: Bool?

  func validate() throws {
    if let shard, Shard(shard) == nil {
      throw ValidationError("--shard takes \(Shard.expectedForm), found '\(shard)'")
    }
    if apiKey != nil {
      throw ValidationError(
        "--api-key is not accepted: a key on the command line shows in ps and shell history; set STRIPE_API_KEY or use --api-key-file"
      )
    }
    if let since {
      guard let date = CivilDate(iso: since) else {
        throw ValidationError("--since takes a date YYYY-MM-DD, found '\(since)'")
      }
      if let problem = CivilDate.flagRangeProblem(date, flag: "--since", text: since) {
        throw ValidationError(problem)
      }
    }
  }

  func run() async throws {
    var report = FetchReport()
    do {
      let key = try readKey()
      var options = FetchOptions(output: out)
      options.accounts = accounts
      options.allAccounts = allAccounts
      options.platform = platform
      options.since = since.flatMap(CivilDate.init(iso:)).map { Int64($0.daysSinceEpoch) * 86_400 }
      options.apiBase = try APIBase(apiBase)
      options.stripeVersion = stripeVersion ?? FetchOptions.pinnedStripeVersion
      options.maxRequestsPerSecond = maxRps
      options.shard = shard.flatMap { Shard($0) } ?? .whole
      options.concurrency = concurrency
      options.timeout = timeout
      options.retry.maxAttempts = maxAttempts
      options.overlap = overlap
      options.pageSize = pageSize
      options.restart = restart
      var job = FetchJob(options: options, key: key)
      job.showProgress = progress ?? (isatty(2) == 1)
      report = await job.run()
    } catch {
      report.errors.append(error.message)
      report.exitCode = error.exitCode
    }
    let lines = report.errors + report.summary.map { "treasury-report: " + $0 }
    Diagnostics.write(TerminalText.lines(lines))
    if report.exitCode != ExitStatus.success { throw ExitCode(report.exitCode) }
  }

  private func readKey() throws(FetchError) -> APIKey {
    if let path = apiKeyFile {
      guard let data = FileManager.default.contents(atPath: path) else {
        throw .usage("cannot read --api-key-file \(path)")
      }
      return try APIKey(String(decoding: data, as: UTF8.self))
    }
    guard let text = ProcessInfo.processInfo.environment["STRIPE_API_KEY"], !text.isEmpty else {
      throw .usage("no API key: set STRIPE_API_KEY or pass --api-key-file PATH")
    }
    return try APIKey(text)
  }

}
