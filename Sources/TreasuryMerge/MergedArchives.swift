import Crypto
import Foundation
import TreasuryArchive
import TreasuryInput
@_spi(Inlining) import TreasuryModel
import TreasuryOutput

/// Rebuilds `archive/<period>.tar.gz` for the merged folder, as one unsharded run writes it.
///
/// An archive holds a period's statement files of every account, its rows of
/// the summary and a manifest with each statement's control totals, so the
/// shards' archives cannot be concatenated; but each file's content is a gzip
/// member of its own (docs/archives.md), the same bytes whichever run wrote it.
/// With `--gzip` those members are the merged folder's `.gz` files and are
/// copied as they are; without it each file is compressed into its member as
/// the unsharded run does. The tar headers, the summary rows and the manifest
/// are written fresh; the controls come from the shards' archive manifests.
struct MergedArchives {
  let folder: OutputFolder
  let level: Int32
  let shards: [ShardFolder]

  /// One archive for each period of `periods` (label, the summary header and rows of the period), in order.
  func write(_ periods: [(label: String, rows: [CSVRows.Row])], header: [UInt8]) throws(MergeError) {
    let outputs = folder.files
    for period in periods {
      let controls = try self.controls(period.label)
      var summary = header
      for row in period.rows { summary += row.bytes }
      folder.record(try archive(period.label, summary: summary, rows: period.rows.count, controls, outputs: outputs))
    }
  }

  /// The statements' control totals for period `label` from the shards' archive manifests, in statement order.
  private func controls(_ label: String) throws(MergeError) -> (ArchivePeriod?, [StatementControl]) {
    var period: ArchivePeriod?
    var controls: [StatementControl] = []
    for shard in shards {
      guard let file = shard.manifest.outputs.first(where: { $0.path == PeriodArchives.path(label) }) else { continue }
      let shownPath = shard.shown + "/" + file.path
      do throws(TarError) {
        let source: GzipByteSource
        do { source = try GzipByteSource(file: try FileByteSource(path: shard.path + "/" + file.path)) } catch {
          throw .output(.cannotWrite(path: shownPath, reason: error.message))
        }
        let tar = TarReader(source: source)
        while let member = try tar.next() {
          guard member.path == label + "/manifest.json" else { continue }
          var bytes: [UInt8] = []
          let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
          defer { buffer.deallocate() }
          while true {
            let n = try tar.read(into: buffer)
            if n == 0 { break }
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
          }
          guard let manifest = try? JSONDecoder().decode(ArchiveManifest.self, from: Data(bytes)) else {
            throw .output(.cannotWrite(path: shownPath, reason: "its manifest.json is not an archive manifest"))
          }
          period = period ?? manifest.period
          controls += manifest.statements
        }
      } catch {
        throw .unreadable(path: shownPath, reason: error.message)
      }
    }
    controls.sort { ($0.financialAccount, $0.currency) < ($1.financialAccount, $1.currency) }
    return (period, controls)
  }

  private func archive(
    _ label: String, summary: [UInt8], rows: Int, _ controls: (ArchivePeriod?, [StatementControl]),
    outputs: [OutputFile]
  ) throws(MergeError) -> OutputFile {
    let relative = PeriodArchives.path(label)
    guard let period = controls.0 else {
      throw .invalidShard("\(relative): error: no shard holds this period's archive, though the summary lists it")
    }
    do throws(OutputError) {
      let sink = try folder.file(relative)
      let gzip = GzipMembers(into: sink, level: level)
      let tar = TarWriter(into: gzip)
      let summaryPath = label + "/summary.csv"
      var pending: [(path: String, file: OutputFile?)] = outputs.filter { $0.path.hasPrefix(label + "/") }.map {
        ($0.contentPath, $0)
      }
      pending.append((summaryPath, nil))
      pending.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
      var members: [OutputFile] = []
      do throws(TarError) {
        for (path, file) in pending {
          if let file {
            members.append(try stream(file, as: path, into: tar, gzip: gzip))
          } else {
            try add(path, summary, to: tar, gzip: gzip)
            members.append(
              OutputFile(
                path: path, bytes: summary.count, sha256: Hex.string(SHA256.hash(data: summary)), rows: rows))
          }
        }
        let manifest = ArchiveManifest(
          version: TreasuryReportVersion.string, period: period, members: members, statements: controls.1)
        let encoded: [UInt8]
        do { encoded = try manifest.encoded() } catch { throw .misuse("the archive manifest: \(error)") }
        try add(label + "/manifest.json", encoded, to: tar, gzip: gzip)
        try tar.finish()
        do { try gzip.finish() } catch { throw .output(error) }
      } catch {
        if case .output(let error) = error { throw error }
        throw OutputError.cannotWrite(path: sink.path, reason: error.message)
      }
      return try sink.finish(rows: nil)
    } catch {
      throw .output(error)
    }
  }

  /// Adds a member held in memory, its content in a gzip member of its own.
  private func add(_ path: String, _ bytes: [UInt8], to tar: TarWriter, gzip: GzipMembers) throws(TarError) {
    try tar.begin(path: path, size: bytes.count)
    do { try gzip.startMember() } catch { throw .output(error) }
    try bytes.withTypedBytes { (raw) throws(TarError) in try tar.write(raw) }
    do { try gzip.endMember() } catch { throw .output(error) }
    try tar.end()
  }

  /// Adds one merged file as `path`: a `.gz` file is its content's member, copied; a plain one is compressed.
  private func stream(_ file: OutputFile, as path: String, into tar: TarWriter, gzip: GzipMembers) throws(TarError)
    -> OutputFile
  {
    let location = folder.staging + "/" + file.path
    let source: FileByteSource
    do { source = try FileByteSource(path: location) } catch {
      throw .output(.cannotWrite(path: location, reason: error.message))
    }
    let (size, expected) = file.content
    let compressed = file.contentSHA256 != nil
    try tar.begin(path: path, size: size)
    do { if !compressed { try gzip.startMember() } } catch { throw .output(error) }
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 16)
    defer { buffer.deallocate() }
    while true {
      let n: Int
      do { n = try source.read(into: buffer) } catch {
        throw .output(.cannotWrite(path: location, reason: error.message))
      }
      if n == 0 { break }
      let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<n])
      if compressed {
        do { try gzip.copyMember(chunk) } catch { throw .output(error) }
      } else {
        try tar.write(chunk)
      }
    }
    if compressed {
      try tar.account(size)
    } else {
      do { try gzip.endMember() } catch { throw .output(error) }
    }
    try tar.end()
    let digest = source.finalizeDigest()
    guard digest == (compressed ? file.sha256 : expected) else {
      throw .output(.cannotWrite(path: location, reason: "it changed after it was copied (sha256 \(digest))"))
    }
    return OutputFile(path: path, bytes: size, sha256: expected, rows: file.rows)
  }
}
