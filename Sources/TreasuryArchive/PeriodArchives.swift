import Crypto
import Foundation
import Synchronization
import TreasuryInput
import TreasuryLedger
@_spi(Inlining) import TreasuryModel
import TreasuryOutput
import TreasuryRender

/// Writes `archive/<period>.tar.gz` for each period: its statement files, its rows of the summary, and a manifest.
///
/// Built after every statement file is in the staging folder, from those
/// files, each checked against the digest recorded when it was written.
/// Members are sorted by path, `summary.csv` among them; `manifest.json` comes
/// last, describing the bytes before it. The archive lives in the staging
/// folder and is moved into place with it.
///
/// The gzip stream is a sequence of members (`GzipMembers`): tar headers and
/// padding in small ones, each file's content in one of its own. With
/// `--gzip` that content member is the file's `.gz` output, copied as it is;
/// otherwise it is compressed here at the same level, to the same bytes. So
/// nothing is compressed twice and the archive does not depend on `--gzip`.
package struct PeriodArchives {
  package init(
    folder: OutputFolder, zone: TimeZone, interval: Interval, level: Int32, jobs: Int,
    statementFiles: [(name: String, ext: String)]
  ) {
    self.folder = folder
    self.zone = zone
    self.interval = interval
    self.level = level
    self.jobs = jobs
    self.statementFiles = statementFiles
  }

  let folder: OutputFolder
  let zone: TimeZone
  let interval: Interval
  let level: Int32
  let jobs: Int
  /// (name, extension) of each statement's files in this run, listed per statement in the archive manifest.
  let statementFiles: [(name: String, ext: String)]

  package static let folderName = "archive"

  package static func path(_ label: String) -> String { folderName + "/" + label + ".tar.gz" }

  /// One archive per period of `statements` (sorted), in parallel; the first failure in period order is thrown.
  package func write(_ statements: [Statement]) throws(OutputError) {
    let groups = statements.groupedByPeriod()
    let outputs = folder.files
    try WorkQueue.forEach(groups.count, jobs: jobs) { index throws(OutputError) in
      let (period, members) = groups[index]
      folder.record(try archive(period, members, outputs: outputs))
    }
  }

  private func archive(_ period: Period, _ statements: [Statement], outputs: [OutputFile]) throws(OutputError)
    -> OutputFile
  {
    let relative = Self.path(period.label)
    let sink = try folder.file(relative)
    // Anything but the output's own failure (a tar writer misused, a staged file unreadable, the manifest not
    // encodable) is a failure to write this archive, named by its path.
    let failed = { (reason: String) in OutputError.cannotWrite(path: sink.path, reason: reason) }
    let gzip = GzipMembers(into: sink, level: level)
    let tar = TarWriter(into: gzip)
    let time = LocalTimeFormatter(zone: zone)

    let files = outputs.filter { $0.path.hasPrefix(period.label + "/") }
    let summary = MemoryTarget()
    let summaryRows: Int
    do { summaryRows = try SummaryCSV.render(statements, time: time, to: summary) } catch {
      throw error.outputError(path: sink.path)
    }
    let summaryPath = period.label + "/summary.csv"
    var pending: [(path: String, file: OutputFile?)] = files.map { ($0.contentPath, $0) }
    pending.append((summaryPath, nil))
    pending.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }

    var members: [OutputFile] = []
    do throws(TarError) {
      for (path, file) in pending {
        if let file {
          members.append(try stream(file, as: path, into: tar, gzip: gzip, archive: sink.path))
        } else {
          try add(path, summary.bytes, to: tar, gzip: gzip)
          members.append(
            OutputFile(
              path: path, bytes: summary.bytes.count, sha256: Hex.string(SHA256.hash(data: summary.bytes)),
              rows: summaryRows))
        }
      }
      let present = Set(members.map(\.path))
      let controls = statements.map { s in
        StatementControl(
          s,
          files: statementFiles.map { StatementPaths.file(s.key, $0.name, $0.ext) }.filter(present.contains).sorted()
        )
      }
      let manifest = ArchiveManifest(
        version: TreasuryReportVersion.string, period: ArchivePeriod(period, time: time, interval: interval),
        members: members, statements: controls)
      let encoded: [UInt8]
      do { encoded = try manifest.encoded() } catch { throw .misuse("the archive manifest: \(error)") }
      try add(period.label + "/manifest.json", encoded, to: tar, gzip: gzip)
      try tar.finish()
      do { try gzip.finish() } catch { throw .output(error) }
    } catch {
      if case .output(let error) = error { throw error }
      throw failed(error.message)
    }
    return try sink.finish(rows: nil)
  }

  /// Adds a member held in memory, its content in a gzip member of its own.
  private func add(_ path: String, _ bytes: [UInt8], to tar: TarWriter, gzip: GzipMembers) throws(TarError) {
    try tar.begin(path: path, size: bytes.count)
    do { try gzip.startMember() } catch { throw .output(error) }
    try bytes.withTypedBytes { (raw) throws(TarError) in try tar.write(raw) }
    do { try gzip.endMember() } catch { throw .output(error) }
    try tar.end()
  }

  /// Adds one staged output as `path`, checking it is the file that was written.
  ///
  /// A `.gz` output is copied as the content's gzip member (its stored bytes
  /// are checked); a plain one is compressed into a member of its own.
  private func stream(
    _ file: OutputFile, as path: String, into tar: TarWriter, gzip: GzipMembers, archive archivePath: String
  ) throws(TarError) -> OutputFile {
    let location = folder.staging + "/" + file.path
    let unreadable = { (error: InputError) in TarError.output(.cannotWrite(path: archivePath, reason: error.message)) }
    let source: FileByteSource
    do { source = try FileByteSource(path: location) } catch { throw unreadable(error) }
    let (size, expected) = file.content
    try tar.begin(path: path, size: size)
    let compressed = file.contentSHA256 != nil
    do {
      if !compressed { try gzip.startMember() }
    } catch { throw .output(error) }
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 16)
    defer { buffer.deallocate() }
    while true {
      let n: Int
      do { n = try source.read(into: buffer) } catch { throw unreadable(error) }
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
    // The bytes read are the file as stored: its .gz for compressed outputs.
    let digest = source.finalizeDigest()
    let count = source.bytesRead
    let (storedSize, storedDigest) = compressed ? (file.bytes, file.sha256) : (size, expected)
    guard digest == storedDigest && count == storedSize else {
      throw .output(
        .cannotWrite(
          path: location, reason: "it changed after it was written (sha256 \(digest), expected \(storedDigest))"))
    }
    return OutputFile(path: path, bytes: size, sha256: expected, rows: file.rows)
  }
}
