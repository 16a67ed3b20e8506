import Foundation
import TreasuryModel
import Yams

/// Reads a `run` config file strictly: unknown keys, wrong types and bad values are errors naming the line.
///
/// The YAML is composed into nodes (which carry their line) rather than decoded into a `Codable`, so that a
/// misspelt key is refused instead of silently ignored, and so that each error can say where it is.
public enum ConfigReader {
  static let topKeys = [
    "source", "time_zone", "interval", "formats", "gzip_level", "storage", "settle_window", "lock_max_age",
    "publish_provisional", "work_folder",
  ]
  static let storageKeys = [
    "url", "endpoint", "region", "path_style", "retain_years", "lock_mode", "sse", "kms_key_id",
  ]
  static let formatNames = ["csv", "summary", "camt053", "camt053.08", "ofx", "ofx2", "html"]

  /// Reads and checks the file at `path`.
  public static func read(_ path: String) throws(ConfigError) -> RunConfig {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw ConfigError(file: path, line: nil, keyPath: "", problem: "cannot read the config file")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw ConfigError(file: path, line: nil, keyPath: "", problem: "the config file is not UTF-8 text")
    }
    return try parse(text, file: path)
  }

  /// Parses `text` (the contents of `file`); relative paths are taken from `file`'s folder.
  public static func parse(_ text: String, file: String) throws(ConfigError) -> RunConfig {
    let root: Node
    do {
      guard let node = try Yams.compose(yaml: text) else {
        throw ConfigError(
          file: file, line: 1, keyPath: "", problem: "the config file is empty: it needs at least source and storage")
      }
      root = node
    } catch let error as ConfigError {
      throw error
    } catch let error as YamlError {
      throw ConfigError(
        file: file, line: Self.line(of: error), keyPath: "", problem: "not valid YAML: \(Self.problem(of: error))")
    } catch {
      throw ConfigError(file: file, line: nil, keyPath: "", problem: "not valid YAML: \(error)")
    }
    let base = URL(fileURLWithPath: file).deletingLastPathComponent().path
    let reader = NodeReader(file: file, base: base)
    let top = try reader.mapping(root, path: "", keys: topKeys)

    guard let sourceNode = top["source"] else {
      throw reader.missing("source", in: root, example: "source: {dumps: [dumps]}")
    }
    guard let storageNode = top["storage"] else {
      throw reader.missing("storage", in: root, example: "storage: {url: \"file:///srv/statements\"}")
    }
    let source = try readSource(sourceNode, reader)
    let storage = try readStorage(storageNode, reader)
    let work = try top["work_folder"].map { (node) throws(ConfigError) in try reader.path(node, path: "work_folder") }
    var config = RunConfig(file: file, source: source, storage: storage, workFolder: work ?? reader.resolve("work"))

    if let node = top["time_zone"] {
      let zone = try reader.string(node, path: "time_zone")
      guard TimeZone(identifier: zone) != nil else {
        throw reader.error(node, "time_zone", "expected an IANA time zone such as America/New_York, found \"\(zone)\"")
      }
      config.timeZone = zone
    }
    if let node = top["interval"] {
      let name = try reader.string(node, path: "interval")
      guard let interval = Interval(rawValue: name), interval != .range else {
        throw reader.error(node, "interval", "expected day, week, month, quarter or year, found \"\(name)\"")
      }
      config.interval = interval
    }
    if let node = top["formats"] {
      var formats: [String] = []
      for (i, item) in try reader.sequence(node, path: "formats").enumerated() {
        let name = try reader.string(item, path: "formats[\(i)]")
        guard formatNames.contains(name) || (name.hasPrefix("csv:") && name.count > 4) else {
          throw reader.error(
            item, "formats[\(i)]",
            "expected csv, csv:PROFILE, summary, camt053, camt053.08, ofx, ofx2 or html, found \"\(name)\""
              + (name == "bai2"
                ? " (bai2 holds every account of a period in one file, so it cannot be versioned per statement)" : ""))
        }
        if !formats.contains(name) { formats.append(name) }
      }
      config.formats = formats.contains("csv") ? formats : ["csv"] + formats
    }
    if let node = top["gzip_level"] {
      let level = try reader.int(node, path: "gzip_level")
      guard (0...9).contains(level) else { throw reader.error(node, "gzip_level", "expected 0 … 9, found \(level)") }
      config.gzipLevel = Int32(level)
    }
    if let node = top["settle_window"] { config.settleWindow = try reader.duration(node, path: "settle_window") }
    if let node = top["lock_max_age"] { config.lockMaxAge = try reader.duration(node, path: "lock_max_age") }
    if let node = top["publish_provisional"] {
      config.publishProvisional = try reader.bool(node, path: "publish_provisional")
    }
    return config
  }

  private static func readSource(_ node: Node, _ reader: NodeReader) throws(ConfigError) -> RunConfig.Source {
    let source = try reader.mapping(node, path: "source", keys: ["dumps", "api"])
    switch (source["dumps"], source["api"]) {
    case (let dumps?, nil):
      let items: [Node]
      if case .sequence = dumps { items = try reader.sequence(dumps, path: "source.dumps") } else { items = [dumps] }
      var paths: [String] = []
      for (i, item) in items.enumerated() { paths.append(try reader.path(item, path: "source.dumps[\(i)]")) }
      guard !paths.isEmpty else { throw reader.error(dumps, "source.dumps", "expected at least one dump folder") }
      return .dumps(paths)
    case (nil, let api?):
      let fields = try reader.mapping(
        api, path: "source.api", keys: ["platform", "all_accounts", "accounts", "dumps", "api_base"])
      let platform =
        try fields["platform"].map { (n) throws(ConfigError) in try reader.bool(n, path: "source.api.platform") }
        ?? false
      let all =
        try fields["all_accounts"].map { (n) throws(ConfigError) in try reader.bool(n, path: "source.api.all_accounts")
        } ?? false
      var accounts: [String] = []
      if let list = fields["accounts"] {
        for (i, item) in try reader.sequence(list, path: "source.api.accounts").enumerated() {
          accounts.append(try reader.string(item, path: "source.api.accounts[\(i)]"))
        }
      }
      guard let dumps = fields["dumps"] else {
        throw reader.missing("source.api.dumps", in: api, example: "dumps: /var/lib/treasury/dumps")
      }
      guard platform || all || !accounts.isEmpty else {
        throw reader.error(api, "source.api", "expected platform: true, all_accounts: true or accounts: [acct_…]")
      }
      let base = try fields["api_base"].map { (n) throws(ConfigError) in
        try reader.string(n, path: "source.api.api_base")
      }
      return .api(
        platform: platform, allAccounts: all, accounts: accounts,
        dumps: try reader.path(dumps, path: "source.api.dumps"), apiBase: base)
    case (nil, nil):
      throw reader.error(node, "source", "expected dumps: [FOLDER, …] or api: {…}")
    case (_?, _?):
      throw reader.error(node, "source", "expected one of dumps or api, found both")
    }
  }

  private static func readStorage(_ node: Node, _ reader: NodeReader) throws(ConfigError) -> RunConfig.Storage {
    let fields = try reader.mapping(node, path: "storage", keys: storageKeys)
    guard let urlNode = fields["url"] else {
      throw reader.missing(
        "storage.url", in: node, example: "url: \"file:///srv/statements\" or \"s3://bucket/prefix\"")
    }
    let url = try reader.string(urlNode, path: "storage.url")
    var storage = RunConfig.Storage(url: url.contains("://") ? url : reader.resolve(url))
    func text(_ key: String) throws(ConfigError) -> String? {
      try fields[key].map { (n) throws(ConfigError) in try reader.string(n, path: "storage." + key) }
    }
    storage.endpoint = try text("endpoint")
    storage.region = try text("region")
    storage.kmsKeyID = try text("kms_key_id")
    if let n = fields["path_style"] { storage.pathStyle = try reader.bool(n, path: "storage.path_style") }
    if let n = fields["retain_years"] {
      let years = try reader.int(n, path: "storage.retain_years")
      guard (1...100).contains(years) else {
        throw reader.error(n, "storage.retain_years", "expected 1 … 100, found \(years)")
      }
      storage.retainYears = years
    }
    if let n = fields["lock_mode"] {
      let mode = try reader.string(n, path: "storage.lock_mode")
      guard ["governance", "compliance"].contains(mode) else {
        throw reader.error(n, "storage.lock_mode", "expected governance or compliance, found \"\(mode)\"")
      }
      storage.lockMode = mode
    }
    if let n = fields["sse"] {
      let sse = try reader.string(n, path: "storage.sse")
      guard ["aes256", "aws:kms"].contains(sse) else {
        throw reader.error(n, "storage.sse", "expected aes256 or aws:kms, found \"\(sse)\"")
      }
      storage.sse = sse
    }
    if (storage.retainYears == nil) != (storage.lockMode == nil) {
      throw reader.error(node, "storage", "retain_years and lock_mode go together (S3 Object Lock takes both)")
    }
    if storage.kmsKeyID != nil && storage.sse != "aws:kms" {
      throw reader.error(node, "storage.kms_key_id", "needs sse: aws:kms")
    }
    return storage
  }

  static func line(of error: YamlError) -> Int? {
    switch error {
    case .scanner(_, _, let mark, _), .parser(_, _, let mark, _): return mark.line
    default: return nil
    }
  }

  static func problem(of error: YamlError) -> String {
    switch error {
    case .scanner(_, let problem, _, _), .parser(_, let problem, _, _): return problem
    default: return "\(error)"
    }
  }
}
