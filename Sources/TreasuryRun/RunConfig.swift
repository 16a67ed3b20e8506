import Foundation
import TreasuryModel

/// What a `run --config FILE` does: the effective configuration, with every default filled in.
///
/// Paths are as written in the file, resolved against the file's folder by `ConfigReader`. Secrets are never
/// here: the Stripe key and AWS credentials come from the environment, as for `fetch` and `publish`.
public struct RunConfig: Sendable, Equatable {
  /// Where the statements' data comes from.
  public enum Source: Sendable, Equatable {
    /// Dump folders or files `statements` reads.
    case dumps([String])
    /// The Stripe API through `fetch` into a dump folder (`platform`, `all_accounts`, `accounts`); `apiBase`
    /// for a proxy or a local test server (nil: Stripe's).
    case api(platform: Bool, allAccounts: Bool, accounts: [String], dumps: String, apiBase: String?)
  }

  /// Where and how statements are published (`storage:`).
  public struct Storage: Sendable, Equatable {
    /// A folder, `file:///PATH` or `s3://BUCKET/PREFIX`.
    public var url: String
    public var endpoint: String?
    public var region: String?
    public var pathStyle = false
    public var retainYears: Int?
    /// `governance` or `compliance` (with `retain_years`).
    public var lockMode: String?
    /// `aes256` or `aws:kms`.
    public var sse: String?
    public var kmsKeyID: String?

    public init(url: String) { self.url = url }
  }

  /// The file the configuration was read from, for messages.
  public var file: String
  public var source: Source
  public var timeZone = "UTC"
  public var interval: Interval = .month
  /// `--format` items; `csv` is always among them (a restatement is computed from the CSV files).
  public var formats: [String] = ["csv"]
  public var gzipLevel: Int32 = 6
  public var storage: Storage
  /// Seconds after a period's end during which its statement stays provisional.
  public var settleWindow: Int64 = 3 * 86_400
  /// Seconds after which another run's lock may be broken with `--break-lock`.
  public var lockMaxAge: Int64 = 6 * 3_600
  /// Also publish provisional statements under `provisional/` (replaced by each run).
  public var publishProvisional = false
  /// The run's working folder: statements built, provisional statements kept.
  public var workFolder: String

  public init(file: String, source: Source, storage: Storage, workFolder: String) {
    self.file = file
    self.source = source
    self.storage = storage
    self.workFolder = workFolder
  }

  /// `3d`, `36h`, `90m`: the shortest of days, hours or minutes that states `seconds` exactly.
  static func duration(_ seconds: Int64) -> String {
    if seconds % 86_400 == 0 { return "\(seconds / 86_400)d" }
    if seconds % 3_600 == 0 { return "\(seconds / 3_600)h" }
    return "\(seconds / 60)m"
  }

  /// The effective configuration as YAML (`run --print-config`): every key, defaults filled in.
  public var yaml: String {
    var lines: [String] = ["# effective configuration of \(file)"]
    switch source {
    case .dumps(let paths):
      lines.append("source:")
      lines.append("  dumps:")
      lines += paths.map { "    - \(Self.quoted($0))" }
    case .api(let platform, let allAccounts, let accounts, let dumps, let apiBase):
      lines += ["source:", "  api:", "    platform: \(platform)", "    all_accounts: \(allAccounts)"]
      lines.append("    accounts: [\(accounts.map(Self.quoted).joined(separator: ", "))]")
      lines.append("    dumps: \(Self.quoted(dumps))")
      lines.append("    api_base: \(apiBase.map(Self.quoted) ?? "null")")
    }
    lines.append("time_zone: \(Self.quoted(timeZone))")
    lines.append("interval: \(interval.rawValue)")
    lines.append("formats: [\(formats.map(Self.quoted).joined(separator: ", "))]")
    lines.append("gzip_level: \(gzipLevel)")
    lines.append("storage:")
    lines.append("  url: \(Self.quoted(storage.url))")
    lines.append("  endpoint: \(storage.endpoint.map(Self.quoted) ?? "null")")
    lines.append("  region: \(storage.region.map(Self.quoted) ?? "null")")
    lines.append("  path_style: \(storage.pathStyle)")
    lines.append("  retain_years: \(storage.retainYears.map(String.init) ?? "null")")
    lines.append("  lock_mode: \(storage.lockMode ?? "null")")
    lines.append("  sse: \(storage.sse.map(Self.quoted) ?? "null")")
    lines.append("  kms_key_id: \(storage.kmsKeyID.map(Self.quoted) ?? "null")")
    lines.append("settle_window: \(Self.duration(settleWindow))")
    lines.append("lock_max_age: \(Self.duration(lockMaxAge))")
    lines.append("publish_provisional: \(publishProvisional)")
    lines.append("work_folder: \(Self.quoted(workFolder))")
    return lines.joined(separator: "\n") + "\n"
  }

  /// A YAML double-quoted scalar (JSON's escaping is valid YAML).
  static func quoted(_ text: String) -> String {
    let data = (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8)
    return String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\\/", with: "/")
  }
}
