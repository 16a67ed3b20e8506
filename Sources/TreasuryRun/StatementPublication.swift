import Crypto
import Foundation
import TreasuryJob
@_spi(Inlining) import TreasuryModel
import TreasuryStorage

/// The publishing half of a `run`: builds, compares with the target, publishes versions, appends the index.
struct StatementPublication {
  var options: RunOptions
  var store: any ObjectStore
  var scratch: String
  var run: String
  /// The run's start: the as-of time of an API source (the fetch starts then).
  var now: Date
  /// Lines of the stored index that are not index lines (kept as they are; said in the summary).
  var unreadableIndexLines = 0
  /// The dumps to build from instead of the config's source (`run --merge-shards`: the shards' downloaded folders).
  var inputs: [String]? = nil

  static let indexKey = "index.jsonl"
  static let provisionalFolder = "provisional"

  var config: RunConfig { options.config }

  mutating func execute(_ summary: inout RunSummary) async throws(RunError) {
    var clock = ContinuousClock.now
    func lap(_ step: String) {
      let elapsed = ContinuousClock.now - clock
      summary.steps[step] = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
      clock = ContinuousClock.now
    }
    var asOfText = options.asOf
    if case .api = config.source, inputs == nil {
      // Everything created before the fetch started is in the dumps once it succeeds.
      let started = RunLock.text(now)
      try await SourceFetch(config: config).run(&summary)
      lap("fetch")
      asOfText = asOfText ?? started
    }
    let dumps = inputs ?? config.source.inputs
    let built = try build(inputs: dumps, period: nil, asOf: asOfText, into: scratch + "/statements", &summary)
    guard let asOf = built.asOf else { throw .io(path: scratch, reason: "the statements run reported no as-of time") }
    summary.asOf = RunLock.text(Date(timeIntervalSince1970: Double(asOf)))
    let statements = try BuiltStatement.all(in: scratch + "/statements", interval: config.interval)
    summary.periods = Array(Set(statements.map(\.period))).sorted()
    summary.unreconciled = built.unreconciled
    lap("build")
    RunCrashPoint.afterBuild.reach()

    // Which statements are final, and what the target holds for each.
    let index = try await readIndex()
    if unreadableIndexLines > 0 {
      summary.notes.append(
        "\(store.target.display(Self.indexKey)): warning: \(unreadableIndexLines.counted("line")) \(unreadableIndexLines == 1 ? "is not an index line" : "are not index lines"); kept as they are, not used"
      )
    }
    var indexed = Set(index.map { "\($0.statementID)/v\($0.version)" })
    var newLines: [IndexLine] = []
    var toPublish: [(BuiltStatement, version: Int, restates: VersionRecord?, highest: Int)] = []
    var provisional: [BuiltStatement] = []
    for statement in statements where statement.end <= asOf {
      let versions = try await storedVersions(statement)
      // Complete versions a killed run left without an index line: indexed now, never reported as changes.
      for record in versions.complete where !indexed.contains("\(statement.id)/v\(record.version)") {
        newLines += lines(for: record, of: statement)
        indexed.insert("\(statement.id)/v\(record.version)")
        // Its restatement is reported now, by the run that indexes it (the killed run could not).
        if record.restates != nil { summary.restated.append("\(statement.folder)/v\(record.version)") }
        summary.notes.append(
          "\(store.target.display(statement.folder + "/v\(record.version)")): indexed a version an interrupted run had stored"
        )
      }
      let latest = versions.complete.last
      let isFinal = latest != nil || asOf >= statement.end + config.settleWindow
      guard isFinal else {
        provisional.append(statement)
        continue
      }
      if let latest, latest.digest == statement.digest {
        summary.unchanged += 1
        continue
      }
      toPublish.append((statement, (latest?.version ?? 0) + 1, latest, versions.highest))
    }
    summary.provisional = provisional.map { $0.folder }
    lap("compare")

    for (statement, first, restates, highest) in toPublish {
      var version = first
      if options.dryRun {
        let label = "\(statement.folder)/v\(version)"
        if restates != nil { summary.restated.append(label) } else { summary.published.append(label) }
        continue
      }
      var published: VersionRecord?
      while published == nil {
        do throws(RunError) {
          published = try await publish(statement, version: version, restates: restates, &summary)
        } catch {
          // A version a killed run left half-written (no statement.json) whose files hold other content (the
          // data changed since): it was never published, is never indexed, and the next number is used.
          guard case .storage(let storage) = error, case .objectExists = storage, version <= highest else {
            throw error
          }
          summary.notes.append(
            "\(store.target.display(statement.folder + "/v\(version)/")): an interrupted run's unfinished version holds other content; left as it is, publishing v\(version + 1)"
          )
          version += 1
        }
      }
      guard let record = published else { continue }
      let label = "\(statement.folder)/v\(version)"
      newLines += lines(for: record, of: statement)
      if restates != nil { summary.restated.append(label) }
      summary.published.append(label)
    }
    lap("publish")
    guard !options.dryRun else { return }
    RunCrashPoint.beforeIndex.reach()
    if !newLines.isEmpty { try await append(newLines, to: index) }
    summary.indexLines = newLines.count
    if config.publishProvisional {
      for statement in provisional { try await publishProvisional(statement) }
    }
    lap("index")
  }

  /// Runs the statements job; its failures (other than unreconciled statements) stop the run.
  private func build(
    inputs: [String], period: String?, asOf: String?, into folder: String, _ summary: inout RunSummary
  ) throws(RunError) -> (asOf: Int64?, unreconciled: [String]) {
    var statements = StatementsOptions(inputs: inputs, output: folder)
    statements.timeZone = config.timeZone
    if let period { statements.period = period } else { statements.interval = config.interval }
    statements.select(config.formats.compactMap(StatementsOptions.FormatItem.init))
    statements.asOf = asOf
    statements.allowUnreconciled = true
    statements.gzipLevel = config.gzipLevel
    let report = StatementsJob(options: statements).run()
    guard report.exitCode == ExitStatus.success else {
      throw .statements(messages: report.errors, exitStatus: report.exitCode)
    }
    if period == nil {
      summary.inputs = report.inputs.map { RunSummary.Input(path: $0.path, sha256: $0.sha256) }
    }
    let unreconciled = report.unreconciled.map { "\($0.period)/\($0.financialAccount)/\($0.currency)" }
    return (report.dataAsOf, unreconciled)
  }

  /// Complete versions of a statement in the target (with `statement.json`), oldest first.
  private func storedVersions(_ statement: BuiltStatement) async throws(RunError) -> (
    complete: [VersionRecord], highest: Int
  ) {
    let listed: [StoredObject]
    do { listed = try await store.list(under: statement.folder + "/v") } catch { throw .storage(error) }
    var complete: [VersionRecord] = []
    var highest = 0
    for object in listed {
      let parts = object.key.dropFirst(statement.folder.count + 2).split(separator: "/", maxSplits: 1)
      guard parts.count == 2, let version = Int(parts[0]) else { continue }
      highest = max(highest, version)
      guard parts[1] == VersionRecord.name else { continue }
      let data = try await download(object.key)
      guard let record = try? JSONDecoder().decode(VersionRecord.self, from: data) else {
        throw .io(
          path: store.target.display(object.key),
          reason: "not a statement record this tool wrote; move it away from the target")
      }
      complete.append(record)
    }
    return (complete.sorted { $0.version < $1.version }, highest)
  }

  func download(_ key: String) async throws(RunError) -> Data {
    let path = scratch + "/download-\(UUID().uuidString)"
    defer { unlink(path) }
    do { _ = try await store.download(key, to: path, maxBytes: 1 << 30) } catch { throw .storage(error) }
    return FileManager.default.contents(atPath: path) ?? Data()
  }

  /// Builds the statement's period again with its documents dated at its end plus the settle window (so a
  /// version's bytes do not depend on when the run happened), and stores it as `v<version>`: its files, then
  /// `statement.tar.gz` holding them, then the record.
  private func publish(
    _ statement: BuiltStatement, version: Int, restates: VersionRecord?, _ summary: inout RunSummary
  ) async throws(RunError) -> VersionRecord {
    let folder = scratch + "/final/" + statement.period
    if !FileManager.default.fileExists(atPath: folder + "/summary.csv") {
      let dumps = inputs ?? config.source.inputs
      let documentTime = RunLock.text(Date(timeIntervalSince1970: Double(statement.end + config.settleWindow)))
      _ = try build(inputs: dumps, period: statement.period, asOf: documentTime, into: folder, &summary)
    }
    guard
      let final = try BuiltStatement.all(in: folder, interval: config.interval).first(where: { $0.id == statement.id })
    else { throw .io(path: folder, reason: "the rebuild of \(statement.period) lacks \(statement.id)") }
    let versionFolder = "\(statement.folder)/v\(version)"
    var files: [String: String] = [:]
    var uploads: [(key: String, path: String)] = []
    for file in final.files {
      let name = String(file[file.index(after: file.lastIndex(of: "/")!)...])
      uploads.append((versionFolder + "/" + name, folder + "/" + file))
    }
    if let restates {
      let suffix = statement.currency == "usd" ? "" : "." + statement.currency
      let oldFolder = "\(statement.folder)/v\(restates.version)/"
      let bookedKey = oldFolder + "transactions\(suffix).csv"
      let pendingKey = oldFolder + "pending\(suffix).csv"
      let oldBooked = try CSVTable(data: try await download(bookedKey), name: store.target.display(bookedKey))
      let oldPending = try CSVTable(data: try await download(pendingKey), name: store.target.display(pendingKey))
      let diff = Restatement.csv(oldSummary: restates.summary, new: final, oldBooked: oldBooked, oldPending: oldPending)
      let path = scratch + "/restatement-\(statement.financialAccount)-\(statement.currency)-\(statement.period).csv"
      try write(Data(diff.text.utf8), to: path)
      uploads.append((versionFolder + "/" + Restatement.name, path))
    }
    // The archive holds exactly the files above and goes after them, before the record that completes the version.
    let archivePath = scratch + "/archive-\(UUID().uuidString).tar.gz"
    defer { unlink(archivePath) }
    try VersionArchive(
      members: uploads.map { (String($0.key.dropFirst(versionFolder.count + 1)), $0.path) }, level: config.gzipLevel
    ).write(to: archivePath)
    uploads.append((versionFolder + "/" + VersionArchive.name, archivePath))
    for (key, path) in uploads {
      let sha = try await put(key, path)
      files[String(key.dropFirst(versionFolder.count + 1))] = sha
    }
    RunCrashPoint.afterVersionFiles.reach()
    var summaryFields: [String: String] = [:]
    let row = final.summary.rows.first ?? []
    for (i, column) in final.summary.header.enumerated() { summaryFields[column] = i < row.count ? row[i] : "" }
    let record = VersionRecord(
      financialAccount: statement.financialAccount, currency: statement.currency, period: statement.period,
      version: version, digest: final.digest, restates: restates?.version, summary: summaryFields, files: files)
    let recordPath = scratch + "/statement-\(UUID().uuidString).json"
    try write(record.data, to: recordPath)
    _ = try await put(versionFolder + "/" + VersionRecord.name, recordPath)
    return record
  }

  /// Stores a file that must not change once stored; returns its SHA-256.
  @discardableResult
  func put(_ key: String, _ path: String, retained: Bool = true) async throws(RunError) -> String {
    let digest: (size: Int64, sha256: String)
    do { digest = try FileDigest.of(path) } catch { throw .storage(error) }
    do {
      _ = try await store.put(
        key, file: path, size: digest.size, sha256: digest.sha256, options: putOptions(key, retained: retained))
    } catch { throw .storage(error) }
    return digest.sha256
  }

  /// How an object is stored: encrypted as configured, and (`retained`, every published object) under retention.
  func putOptions(_ key: String, retained: Bool = true) -> PutOptions {
    var put = PutOptions(contentType: Self.contentType(key))
    if retained, let years = config.storage.retainYears, let mode = config.storage.lockMode {
      put.retention = Retention(
        mode: mode == "compliance" ? .compliance : .governance,
        until: Retention.date(years: years, after: Date()))
    }
    switch config.storage.sse {
    case "aes256": put.encryption = .aes256
    case "aws:kms": put.encryption = .kms(keyID: config.storage.kmsKeyID)
    default: break
    }
    return put
  }

  static func contentType(_ key: String) -> String {
    if key.hasSuffix(".csv") { return "text/csv; charset=utf-8" }
    if key.hasSuffix(".json") || key.hasSuffix(".jsonl") { return "application/json" }
    if key.hasSuffix(".xml") { return "application/xml" }
    if key.hasSuffix(".html") { return "text/html; charset=utf-8" }
    if key.hasSuffix(".ofx") { return "application/x-ofx" }
    if key.hasSuffix(".tar.gz") { return "application/gzip" }
    return "application/octet-stream"
  }

  func write(_ data: Data, to path: String) throws(RunError) {
    do { try data.write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
      throw .io(path: path, reason: "cannot write: \(error.localizedDescription)")
    }
  }

}
