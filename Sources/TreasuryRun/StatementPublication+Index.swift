import Foundation
import TreasuryStorage

/// The statement index, provisional copies and the run record: the writes a `run` makes after its versions.
extension StatementPublication {
  /// The index lines of a complete version: its own, and for a restatement the restated version's new status.
  func lines(for record: VersionRecord, of statement: BuiltStatement) -> [IndexLine] {
    let objects =
      record.files.keys.sorted().map { "\(statement.folder)/v\(record.version)/\($0)" }
      + ["\(statement.folder)/v\(record.version)/\(VersionRecord.name)"]
    var lines = [
      IndexLine(
        financialAccount: record.financialAccount, currency: record.currency, period: record.period,
        version: record.version, status: "final", digest: record.digest, objects: objects, run: run,
        restates: record.restates)
    ]
    if let old = record.restates {
      lines.append(
        IndexLine(
          financialAccount: record.financialAccount, currency: record.currency, period: record.period, version: old,
          status: "restated", digest: "", objects: [], run: run, restatedBy: record.version))
    }
    return lines
  }

  mutating func readIndex() async throws(RunError) -> [IndexLine] {
    let head: StoredObject?
    do { head = try await store.head(Self.indexKey) } catch { throw .storage(error) }
    guard head != nil else { return [] }
    let parsed = IndexLine.parse(String(decoding: try await download(Self.indexKey), as: UTF8.self))
    if parsed.unreadable > 0 {
      unreadableIndexLines = parsed.unreadable
    }
    return parsed.lines
  }

  /// The index with `lines` appended: the stored text is kept byte for byte, the new lines go after it.
  func append(_ lines: [IndexLine], to index: [IndexLine]) async throws(RunError) {
    var text = Data()
    let stored: StoredObject?
    do { stored = try await store.head(Self.indexKey) } catch { throw .storage(error) }
    if stored != nil { text = try await download(Self.indexKey) }
    for line in lines { text += Data(line.text.utf8) }
    let path = scratch + "/index.jsonl"
    try write(text, to: path)
    let digest: (size: Int64, sha256: String)
    do { digest = try FileDigest.of(path) } catch { throw .storage(error) }
    do {
      try await store.replace(
        Self.indexKey, file: path, size: digest.size, sha256: digest.sha256,
        options: PutOptions(contentType: "application/json"))
    } catch { throw .storage(error) }
  }

  /// A provisional statement under `provisional/`, replacing the previous run's.
  func publishProvisional(_ statement: BuiltStatement) async throws(RunError) {
    for file in statement.files {
      let name = String(file[file.index(after: file.lastIndex(of: "/")!)...])
      let path = scratch + "/statements/" + file
      let digest: (size: Int64, sha256: String)
      do { digest = try FileDigest.of(path) } catch { throw .storage(error) }
      do {
        try await store.replace(
          Self.provisionalFolder + "/" + statement.folder + "/" + name, file: path, size: digest.size,
          sha256: digest.sha256, options: PutOptions(contentType: Self.contentType(name)))
      } catch { throw .storage(error) }
    }
  }

  /// `runs/<run-id>.json`.
  func writeRecord(_ summary: RunSummary) async throws(RunError) {
    let path = scratch + "/run.json"
    try write(summary.json, to: path)
    try await put("runs/\(run).json", path)
  }
}
