import Crypto
import Foundation
import Synchronization
import TreasuryInput
@_spi(Inlining) import TreasuryModel
import TreasuryOutput

/// Verifies an output folder: every file against `manifest.json` (size, SHA-256, rows, and for `.gz` files gzip
/// integrity and the content's digest), no file unlisted, each archive in full and against the folder's files,
/// and each statement from its CSV files.
struct FolderVerifier {
  let path: String
  /// Files and archives read at once.
  var jobs = ProcessInfo.processInfo.activeProcessorCount

  struct Result {
    var report = VerifyReport()
    var manifestSHA256: String?
  }

  static let manifestLimit = ManifestIndex.byteLimit

  func run() -> Result {
    var result = Result()
    let manifestPath = path + "/manifest.json"
    guard let (data, sha256) = Self.readManifest(manifestPath, in: path, &result.report) else { return result }
    result.manifestSHA256 = sha256
    let index: ManifestIndex
    do throws(ManifestIndexError) {
      index = try ManifestIndex(decoding: data)
    } catch {
      result.report.add(.mismatch, manifestPath, error.reason)
      return result
    }

    // A listed path that could name something outside the folder is refused before anything is opened.
    var valid: [OutputFile] = []
    for output in index.outputs {
      if let problem = ListedPath.problem(output.path) {
        result.report.add(
          .mismatch, manifestPath,
          "lists \(ListedPath.quoted(output.path)), \(problem), which this tool never writes; it was not opened")
      } else {
        valid.append(output)
      }
    }
    // Files and archives are read on every core; what each found is then taken in path order, so the report
    // does not depend on thread timing.
    let outputs = valid.sorted(by: { $0.path < $1.path })
    let locations = outputs.map { path + "/" + $0.path }
    // Only regular files reached through real folders are read: a link or a FIFO is reported, never opened.
    let obstacles = outputs.map { Self.obstacle($0.path, in: path) }
    // Archives, the biggest items, are taken first, so no core is left alone with one at the end.
    let order =
      outputs.indices.filter { Self.isArchive(outputs[$0]) }
      + outputs.indices.filter {
        !Self.isArchive(outputs[$0])
      }
    let slots = Mutex<[Checked?]>(Array(repeating: nil, count: outputs.count))
    WorkQueue.forEach(order.count, jobs: jobs) { (k: Int) throws(Never) in
      let i = order[k]
      guard obstacles[i] == nil else { return }
      let checked: Checked =
        Self.isArchive(outputs[i])
        ? .archive(ArchiveVerifier(path: locations[i]).run()) : .file(Self.check(outputs[i], at: locations[i]))
      slots.withLock { $0[i] = checked }
    }
    let checked = slots.withLock { $0 }

    let evidence = StatementEvidence()
    var contents: [String: (bytes: Int, sha256: String)] = [:]
    var archives: [(location: String, members: [String: ArchiveVerifier.Member])] = []
    var listed: Set<String> = ["manifest.json"]
    for (i, output) in outputs.enumerated() {
      listed.insert(output.path)
      let location = locations[i]
      if let (kind, message) = obstacles[i] {
        result.report.add(kind, location, message)
        continue
      }
      switch checked[i] {
      case nil:
        result.report.add(.mismatch, location, "is listed in manifest.json but missing")
      case .archive(let archive):
        result.report.files += 1
        // Its statements are the folder's own, counted and reported once, from the folder's summary.csv.
        var found = archive.report
        found.statements = 0
        found.removeAll(.unreconciled)
        result.report.merge(found)
        if let sha = archive.sha256, sha != output.sha256 || archive.bytes != output.bytes {
          result.report.add(
            .mismatch, location,
            "has changed: \(archive.bytes) bytes with sha256 \(sha), manifest.json says \(output.bytes) bytes with sha256 \(output.sha256)"
          )
        }
        archives.append((location, archive.members))
      case .file(let file):
        result.report.files += 1
        result.report.merge(file.report)
        evidence.absorb(file.evidence)
        if let content = file.content { contents[output.contentPath] = content }
      }
    }
    for name in Self.files(in: path) where !listed.contains(name) {
      let kind = PathKind.inside(path + "/" + name)
      let what = if case .regular = kind { "is" } else { "is \(kind.name) and is" }
      result.report.add(.mismatch, path + "/" + name, "\(what) not listed in manifest.json")
    }

    let formats = (index.options["format"] ?? "").split(separator: ",")
    let statements = evidence.check(requireFiles: formats.contains("csv"), location: path)
    result.report.mergeFindings(of: statements)
    result.report.statements += statements.statements

    // An archive holds the same statement files as the folder, byte for byte.
    for (location, members) in archives {
      for (name, member) in members.sorted(by: { $0.key < $1.key }) {
        let parts = name.split(separator: "/")
        guard parts.count == 3 else { continue }
        guard let content = contents[name] else {
          result.report.add(.mismatch, "\(location)(\(name))", "has no counterpart in the folder")
          continue
        }
        if content.sha256 != member.sha256 {
          result.report.add(
            .mismatch, "\(location)(\(name))", "differs from \(path)/\(name) (sha256 \(content.sha256) in the folder)")
        }
      }
    }
    return result
  }

  /// What reading one listed file found.
  struct CheckedFile: Sendable {
    var report = VerifyReport()
    var evidence: StatementEvidence.Gathered
    /// The digest of its content (decompressed for `.gz`); nil when it could not be read.
    var content: (bytes: Int, sha256: String)?
  }

  enum Checked: Sendable {
    case archive(ArchiveVerifier.Result)
    case file(CheckedFile)
  }

  static func isArchive(_ output: OutputFile) -> Bool {
    output.path.hasPrefix(PeriodArchives.folderName + "/") && output.path.hasSuffix(".tar.gz")
  }

  /// Reads one listed file (decompressing `.gz`), compares it with its entry, and gathers its statement evidence.
  static func check(_ output: OutputFile, at location: String) -> CheckedFile {
    let evidence = StatementEvidence()
    var report = VerifyReport()
    let content = digest(output, at: location, evidence, &report)
    return CheckedFile(report: report, evidence: evidence.gathered, content: content)
  }

  private static func digest(
    _ output: OutputFile, at location: String, _ evidence: StatementEvidence, _ report: inout VerifyReport
  )
    -> (bytes: Int, sha256: String)?
  {
    let reader = evidence.reader(for: output.contentPath, location: location)
    // The file source hashes the stored bytes; a .gz file's content needs a digest of its own.
    let compressed = output.path.hasSuffix(".gz")
    var contentHasher = compressed ? SHA256() : nil
    var count = 0
    let file: FileByteSource
    do throws(InputError) {
      file = try FileByteSource(path: location)
      let source: ByteSource = compressed ? try GzipByteSource(file: file) : file
      let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 16)
      defer { buffer.deallocate() }
      while true {
        let n = try source.read(into: buffer)
        if n == 0 { break }
        let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<n])
        contentHasher?.update(bufferPointer: chunk)
        count += n
        reader.feed(chunk)
      }
    } catch {
      if case .corruptGzip = error {
        report.add(.mismatch, location, ArchiveVerifier.reason(error))
      } else {
        report.add(.unreadable, location, ArchiveVerifier.reason(error))
      }
      return nil
    }
    let rows = reader.finish()
    let stored = (file.bytesRead, file.finalizeDigest())
    let content = contentHasher.map { (count, Hex.string($0.finalize())) } ?? stored
    if stored.0 != output.bytes || stored.1 != output.sha256 {
      report.add(
        .mismatch, location,
        "has changed: \(stored.0) bytes with sha256 \(stored.1), manifest.json says \(output.bytes) bytes with sha256 \(output.sha256)"
      )
    } else if let bytes = output.contentBytes, let sha = output.contentSHA256, bytes != content.0 || sha != content.1 {
      report.add(
        .mismatch, location,
        "decompresses to \(content.0) bytes with sha256 \(content.1), manifest.json says \(bytes) bytes with sha256 \(sha)"
      )
    } else if let expected = output.rows, let rows, rows != expected {
      report.add(.mismatch, location, "has \(rows.counted("row")), manifest.json says \(expected)")
    }
    return content
  }

  /// The bytes and SHA-256 of the folder's `manifest.json`, a regular file of at most `manifestLimit` bytes;
  /// nil (and a finding) otherwise.
  private static func readManifest(_ manifestPath: String, in folder: String, _ report: inout VerifyReport)
    -> (Data, String)?
  {
    let tooLarge = { (size: String) in
      "is \(size), more than the \(manifestLimit >> 20) MiB a folder's manifest.json may have; it was not read"
    }
    switch PathKind.inside(manifestPath) {
    case .missing:
      report.add(.mismatch, folder, "holds no manifest.json; it is not a treasury-report output folder")
      return nil
    case .unreadable(let reason):
      report.add(.unreadable, manifestPath, "cannot read: \(reason)")
      return nil
    case .regular(let bytes) where bytes > manifestLimit:
      report.add(.mismatch, manifestPath, tooLarge("\(bytes) bytes"))
      return nil
    case .regular:
      break
    case let kind:
      report.add(.mismatch, manifestPath, notRegular(kind))
      return nil
    }
    do throws(InputError) {
      let file = try FileByteSource(path: manifestPath)
      var data = Data()
      let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 16)
      defer { buffer.deallocate() }
      while case let n = try file.read(into: buffer), n > 0 {
        // It grew after it was measured.
        guard data.count + n <= manifestLimit else {
          report.add(.mismatch, manifestPath, tooLarge("more than \(manifestLimit) bytes"))
          return nil
        }
        data.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
      }
      return (data, file.finalizeDigest())
    } catch {
      report.add(.unreadable, manifestPath, ArchiveVerifier.reason(error))
      return nil
    }
  }

  /// Why a listed file is not read: missing, a link or special file, or under a link; nil for a regular file
  /// reached through real folders.
  static func obstacle(_ relative: String, in folder: String) -> (VerifyReport.Finding.Kind, String)? {
    let parts = relative.split(separator: "/")
    var current = folder
    for (i, part) in parts.enumerated() {
      current += "/" + part
      let last = i == parts.count - 1
      switch PathKind.inside(current) {
      case .missing:
        return (.mismatch, "is listed in manifest.json but missing")
      case .unreadable(let reason):
        return (.unreadable, "cannot read: \(reason)")
      case .folder where !last:
        continue
      case .regular where last:
        return nil
      case .link where !last:
        return (
          .mismatch,
          "lies under \(parts[...i].joined(separator: "/")), a symbolic link; links inside a folder are not followed, so it was not read"
        )
      case let kind:
        return last ? (.mismatch, notRegular(kind)) : (.mismatch, "is listed in manifest.json but missing")
      }
    }
    return (.mismatch, "is listed in manifest.json but missing")
  }

  /// Why something other than a regular file inside a folder is not read.
  static func notRegular(_ kind: PathKind) -> String {
    if kind == .link { return "is a symbolic link; links inside a folder are not followed, so it was not read" }
    return "is \(kind.name), not a regular file; it was not opened"
  }

  /// Every regular file and link under `folder`, relative, hidden ones included.
  static func files(in folder: String) -> [String] {
    var names: [String] = []
    guard let walker = FileManager.default.enumerator(atPath: folder) else { return names }
    while let name = walker.nextObject() as? String {
      let type = walker.fileAttributes?[.type] as? FileAttributeType
      if type != .typeDirectory { names.append(name) }
    }
    return names.sorted()
  }
}
