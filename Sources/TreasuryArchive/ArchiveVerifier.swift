import Crypto
import Foundation
import TreasuryInput
@_spi(Inlining) import TreasuryModel

/// Verifies one period archive (`.tar.gz`): gzip integrity, tar structure, every member against the archive's
/// manifest, and each statement from its CSV members.
///
/// Streams the archive once; only the manifest member is held whole.
struct ArchiveVerifier {
  /// The archive as named on the command line (or inside a verified folder).
  let path: String

  /// Members read from one archive at most: each costs a few hundred bytes of memory while the archive is
  /// checked, and a gzip file of a few megabytes can hold a million empty ones. One period's statements and
  /// formats are far fewer.
  static let memberLimit = 1_000_000
  /// `memberLimit`, smaller in tests.
  var maxMembers = ArchiveVerifier.memberLimit

  /// Manifests larger than this are not read (a real one is a few hundred bytes per member, so this holds a
  /// period of about 40,000 statements); decoding needs about five times its size.
  static let manifestLimit = 64 << 20

  struct Member {
    var bytes: Int
    var sha256: String
    var rows: Int?
  }

  struct Result {
    var report = VerifyReport()
    var bytes = 0
    /// The SHA-256 of the archive file, when it could be read to its end.
    var sha256: String?
    /// Every member read in full, by path (the manifest included).
    var members: [String: Member] = [:]
  }

  func run() -> Result {
    var result = Result()
    let evidence = StatementEvidence()
    let file: FileByteSource
    let gzip: StrictGzipSource
    do throws(InputError) {
      file = try FileByteSource(path: path)
      gzip = try StrictGzipSource(file: file)
    } catch {
      result.report.add(.unreadable, path, Self.reason(error))
      return result
    }
    let tar = TarReader(source: gzip)
    var manifestBytes: [UInt8]?
    var manifestPath: String?
    /// Set when the manifest member was too large to read, so that it is not reported missing too.
    var manifestRefused = false
    var broken = false
    var finishing = false
    var reportedHeaders = 0
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 16)
    defer { buffer.deallocate() }

    var previous: String?
    var afterManifest = false
    var seen = 0
    do throws(TarError) {
      while let member = try tar.next() {
        seen += 1
        guard seen <= maxMembers else {
          result.report.add(
            .mismatch, path,
            "holds more than \(maxMembers) members, the most verify reads in one archive; the rest was not read")
          broken = true
          break
        }
        // A name that could be extracted outside the folder, or that hides in the terminal, is named quoted and
        // the member is not read: its data is skipped by the next `next()`. (Tar ends folder names with '/'.)
        let name = member.isDirectory && member.path.hasSuffix("/") ? String(member.path.dropLast()) : member.path
        if let problem = ListedPath.problem(name) {
          result.report.add(
            .mismatch, path,
            "holds member \(ListedPath.quoted(member.path)), \(problem), which this tool never writes; it was not read")
          continue
        }
        let location = "\(path)(\(member.path))"
        // The layout this tool writes, exactly: regular files only, sorted by path with the manifest last,
        // each header byte for byte what the writer makes (mode 0644, owner 0, mtime 0, no names).
        if member.isDirectory {
          result.report.add(.mismatch, location, "is a folder entry; archives of this tool hold only files")
          continue
        }
        let pathParts = member.path.split(separator: "/", omittingEmptySubsequences: false)
        let isManifest = pathParts.count == 2 && pathParts[1] == "manifest.json"
        if afterManifest {
          result.report.add(.mismatch, location, "comes after manifest.json, which this tool writes last")
        } else if !isManifest, let previous, !previous.utf8.lexicographicallyPrecedes(member.path.utf8) {
          result.report.add(
            .mismatch, location, "is out of order (after \(previous)); this tool writes members sorted by path")
        }
        if !isManifest { previous = member.path }
        if member.isFile && member.header != TarWriter.header(path: member.path, size: member.size) {
          result.report.add(
            .mismatch, location,
            "its tar header is not the one treasury-report writes (mode, owner, time, names or format differ)")
        }
        guard member.isFile else {
          result.report.add(
            .mismatch, location,
            "is not a regular file (tar type '\(String(decoding: [member.typeflag], as: UTF8.self))'); archives of this tool hold only files"
          )
          continue
        }
        if result.members[member.path] != nil {
          result.report.add(.mismatch, location, "appears twice in the archive")
        }
        if isManifest && manifestBytes != nil {
          result.report.add(.mismatch, location, "a second manifest in one archive")
        }
        if isManifest { afterManifest = true }
        let reader = evidence.reader(for: member.path, location: location)
        var hasher = SHA256()
        var count = 0
        var whole: [UInt8] = []
        while true {
          let n = try tar.read(into: buffer)
          if n == 0 { break }
          let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<n])
          hasher.update(bufferPointer: chunk)
          count += n
          if isManifest {
            // Past the limit nothing is kept; the member is still hashed to its end.
            if count <= Self.manifestLimit {
              whole.append(contentsOf: chunk)
            } else if !whole.isEmpty {
              whole = []
            }
          }
          reader.feed(chunk)
        }
        // Gzip member headers changed in or just before this tar member: name it.
        reportHeaders(gzip, since: &reportedHeaders, at: location, &result)
        let rows = reader.finish()
        result.members[member.path] = Member(bytes: count, sha256: Hex.string(hasher.finalize()), rows: rows)
        if isManifest && count > Self.manifestLimit {
          result.report.add(
            .mismatch, location,
            "is \(count) bytes, more than the \(Self.manifestLimit >> 20) MiB an archive's manifest may have; it was not read"
          )
          manifestRefused = true
        } else if isManifest {
          manifestBytes = whole
          manifestPath = member.path
        }
      }
      // Stopped at the member limit, the rest is not read.
      if !broken { finishing = true }
      if finishing { try tar.finish() }
      // Two zero blocks end the archive, then zeros to a whole 10 KiB record: no more, no less.
      if finishing, let end = tar.endMarker {
        let closed = end + 2 * TarHeader.blockSize
        let expected = (closed + TarWriter.recordSize - 1) / TarWriter.recordSize * TarWriter.recordSize
        if tar.offset != expected {
          result.report.add(
            .mismatch, path,
            "the tar stream ends at byte \(tar.offset) where this tool's padding would end it at \(expected)")
        }
      }
    } catch {
      if finishing, case .source(.corruptGzip(_, _, let reason), _, _) = error {
        // Every member was read: what decoded is compared below, member by member.
        result.report.add(
          .mismatch, path,
          "gzip data is corrupt or cut short after member \(error.member ?? ""), the last one (\(reason)); every member was read and is compared with the manifest"
        )
      } else {
        broken = true
        var kind = VerifyReport.Finding.Kind.mismatch
        if case .source(.unreadable, _, _) = error { kind = .unreadable }
        result.report.add(kind, error.member.map { "\(path)(\($0))" } ?? path, error.message)
      }
    }
    reportHeaders(gzip, since: &reportedHeaders, at: path, &result)
    reportOmittedHeaders(gzip, &result)
    result.bytes = file.bytesRead
    if !broken && gzip.complete { result.sha256 = file.finalizeDigest() }
    result.report.files = result.members.count
    // Without a manifest to check statements against, what the members' own content showed (a CSV line
    // over the reader's limit, a malformed row) is still reported.
    func membersOnly() -> Result {
      result.report.mergeFindings(of: evidence.report)
      return result
    }

    guard let manifestBytes, let manifestPath else {
      if !broken && !manifestRefused {
        result.report.add(.mismatch, path, "holds no manifest.json; it is not a treasury-report archive")
      }
      return membersOnly()
    }
    let manifestLocation = "\(path)(\(manifestPath))"
    let manifest: ArchiveManifest
    do {
      manifest = try JSONDecoder().decode(ArchiveManifest.self, from: Data(manifestBytes))
    } catch {
      result.report.add(.mismatch, manifestLocation, "is not a readable archive manifest (\(Self.describe(error)))")
      return membersOnly()
    }
    guard manifest.tool == Manifest.toolName, manifest.kind == ArchiveManifest.kind else {
      result.report.add(.mismatch, manifestLocation, "is not a treasury-report archive manifest")
      return membersOnly()
    }
    let expectedName = manifest.period.label + ".tar.gz"
    if URL(fileURLWithPath: path).lastPathComponent != expectedName {
      result.report.add(
        .mismatch, path, "holds period \(manifest.period.label), whose archive is named \(expectedName)")
    }
    compareMembers(manifest, manifestPath: manifestPath, broken: broken, &result)
    if broken { return membersOnly() }

    // The run wrote the statements' own CSV files (--format csv) when any statement lists its transactions.csv.
    let requireFiles = manifest.statements.contains { statement in
      statement.files.contains {
        StatementEvidence.statementCSV(String($0.split(separator: "/").last ?? ""))?.kind == .transactions
      }
    }
    var checked = evidence.check(requireFiles: requireFiles, location: path)
    compareControls(manifest, evidence, manifestLocation, &checked)
    result.report.mergeFindings(of: checked)
    result.report.statements = checked.statements
    return result
  }

  /// Names the tar member at which altered gzip member headers were found.
  private func reportHeaders(
    _ gzip: StrictGzipSource, since reported: inout Int, at location: String, _ result: inout Result
  ) {
    for finding in gzip.headerFindings[reported...] {
      result.report.add(
        .mismatch, location,
        "the gzip member header at byte \(finding.offset) is not the one treasury-report writes (\(finding.detail)); the archive was altered"
      )
    }
    reported = gzip.headerFindings.count
  }

  /// Counts the altered gzip member headers beyond those named one by one.
  private func reportOmittedHeaders(_ gzip: StrictGzipSource, _ result: inout Result) {
    guard gzip.omittedHeaderFindings > 0 else { return }
    result.report.add(
      .mismatch, path,
      "\(gzip.omittedHeaderFindings) more gzip member headers are not the ones treasury-report writes; the archive was altered"
    )
  }

  /// Every member against the manifest's list: present, same size, same SHA-256, same rows; nothing extra.
  private func compareMembers(_ manifest: ArchiveManifest, manifestPath: String, broken: Bool, _ result: inout Result) {
    var listed: Set<String> = [manifestPath]
    let manifestLocation = "\(path)(\(manifestPath))"
    for entry in manifest.members {
      if let problem = ListedPath.problem(entry.path) {
        result.report.add(
          .mismatch, manifestLocation,
          "lists \(ListedPath.quoted(entry.path)), \(problem), which this tool never writes")
        continue
      }
      listed.insert(entry.path)
      let location = "\(path)(\(entry.path))"
      guard let member = result.members[entry.path] else {
        if !broken { result.report.add(.mismatch, location, "is listed in the manifest but missing from the archive") }
        continue
      }
      if member.bytes != entry.bytes || member.sha256 != entry.sha256 {
        result.report.add(
          .mismatch, location,
          "has changed: \(member.bytes) bytes with sha256 \(member.sha256), the manifest says \(entry.bytes) bytes with sha256 \(entry.sha256)"
        )
      } else if let rows = entry.rows, let counted = member.rows, rows != counted {
        result.report.add(.mismatch, location, "has \(counted) rows, the manifest says \(rows)")
      }
    }
    for name in result.members.keys.sorted() where !listed.contains(name) {
      result.report.add(.mismatch, "\(path)(\(name))", "is not listed in the archive's manifest")
    }
    let prefix = manifest.period.label + "/"
    for name in result.members.keys.sorted() where !name.hasPrefix(prefix) {
      result.report.add(.mismatch, "\(path)(\(name))", "lies outside the folder of period \(manifest.period.label)")
    }
  }

  /// The manifest's control totals against the archive's summary rows, field by field.
  private func compareControls(
    _ manifest: ArchiveManifest, _ evidence: StatementEvidence, _ location: String, _ report: inout VerifyReport
  ) {
    guard let start = StatementEvidence.startDate(label: manifest.period.label) else {
      return report.add(.mismatch, location, "period label '\(manifest.period.label)' is not a period label")
    }
    var seen = Set<StatementEvidence.StatementID>()
    for control in manifest.statements {
      let id = StatementEvidence.StatementID(
        start: start, financialAccount: control.financialAccount, currency: control.currency)
      seen.insert(id)
      guard let row = evidence.summary[id] else {
        report.add(.mismatch, location, "lists statement \(id.name), which has no row in the archive's summary")
        continue
      }
      let pairs: [(String, String)] = [
        ("account", control.account),
        ("opening_cash", control.opening.cash), ("opening_inbound_pending", control.opening.inboundPending),
        ("opening_outbound_pending", control.opening.outboundPending), ("credits", control.credits),
        ("debits", control.debits), ("closing_cash", control.closing.cash),
        ("closing_inbound_pending", control.closing.inboundPending),
        ("closing_outbound_pending", control.closing.outboundPending),
        ("posted_count", String(control.postedCount)), ("void_count", String(control.voidCount)),
        ("open_count", String(control.openCount)), ("reconciled", String(control.reconciled)),
      ]
      let differing = pairs.filter { row.cells[$0.0] != $0.1 }.map { "\($0.0) \(row.cells[$0.0] ?? "") vs \($0.1)" }
      let digits = Money.minorDigits(currency: control.currency)
      let difference = (row.closing.booked - row.opening.booked) - (row.credits - row.debits)
      let bookedOK =
        DecimalAmount.parse(control.opening.booked, digits: digits) == row.opening.booked
        && DecimalAmount.parse(control.closing.booked, digits: digits) == row.closing.booked
        && DecimalAmount.parse(control.difference, digits: digits) == difference
      if !differing.isEmpty || !bookedOK {
        report.add(
          .mismatch, row.location,
          "statement \(id.name) differs from the manifest's control totals: "
            + (differing.isEmpty ? "booked balances or difference" : differing.joined(separator: ", ")))
      }
    }
    for id in evidence.summary.keys.sorted() where !seen.contains(id) {
      report.add(
        .mismatch, evidence.summary[id]?.location ?? location,
        "statement \(id.name) is not in the manifest's statements")
    }
  }

  static func reason(_ error: InputError) -> String {
    switch error {
    case .notFound: return "no such file or folder"
    case .unreadable(_, let reason): return "cannot read: \(reason)"
    case .corruptGzip(_, _, let reason): return "gzip data is corrupt or cut short (\(reason))"
    default: return error.message
    }
  }

  static func describe(_ error: Error) -> String {
    switch error {
    case DecodingError.keyNotFound(let key, _): return "no '\(key.stringValue)'"
    case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
      DecodingError.dataCorrupted(let context):
      let at = context.codingPath.map(\.stringValue).joined(separator: ".")
      return at.isEmpty ? context.debugDescription : "at \(at): \(context.debugDescription)"
    default: return "\(error)"
    }
  }
}
