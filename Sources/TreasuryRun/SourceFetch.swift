import Foundation
import TreasuryFetch
import TreasuryModel

extension RunConfig.Source {
  /// The dump folders the statements are built from: the configured ones, or the API source's fetch folder.
  var inputs: [String] {
    switch self {
    case .dumps(let paths): return paths
    case .api(_, _, _, let dumps, _): return [dumps]
    }
  }
}

/// The API source of a `run`: the existing `fetch`, incremental by itself (it resumes from the dump folder's
/// checkpoints), with the key from `STRIPE_API_KEY` as for `fetch`, never from the config file.
struct SourceFetch {
  var config: RunConfig
  /// `run --shard`: only this shard's accounts, at its part of the rate limit.
  var shard = Shard.whole
  /// Where the dumps go, when not the config's folder (a shard's own folder).
  var output: String? = nil

  /// What the source fetches, as flags: every shard of a sharded run must fetch the same.
  static func describe(_ source: RunConfig.Source) -> String {
    guard case .api(let platform, let allAccounts, let accounts, _, let apiBase) = source else { return "dumps" }
    var parts: [String] = []
    if platform { parts.append("--platform") }
    if allAccounts { parts.append("--all-accounts") }
    parts += accounts.sorted().map { "--account \($0)" }
    if let apiBase { parts.append("--api-base \(apiBase)") }
    return parts.joined(separator: " ")
  }

  func run(_ summary: inout RunSummary) async throws(RunError) {
    guard case .api(let platform, let allAccounts, let accounts, let dumps, let apiBase) = config.source else {
      return
    }
    guard let text = ProcessInfo.processInfo.environment["STRIPE_API_KEY"], !text.isEmpty else {
      throw .usage("\(config.file): source.api needs the API key in STRIPE_API_KEY (never in the config file)")
    }
    var options = FetchOptions(output: output ?? dumps)
    options.shard = shard
    options.platform = platform
    options.allAccounts = allAccounts
    options.accounts = accounts
    let key: APIKey
    do throws(FetchError) {
      if let apiBase { options.apiBase = try APIBase(apiBase) }
      key = try APIKey(text)
    } catch {
      throw .statements(messages: ["\(config.file): " + error.message], exitStatus: error.exitCode)
    }
    let report = await FetchJob(options: options, key: key).run()
    summary.fetched = report.summary
    guard report.exitCode == ExitStatus.success else {
      throw .statements(messages: report.errors, exitStatus: report.exitCode)
    }
  }
}
