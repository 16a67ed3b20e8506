import ArgumentParser
import Foundation
@_spi(Inlining) import TreasuryModel
import TreasuryOutput

/// `treasury-bench gzip-files`: compresses a folder's files with the tool's own gzip writer, for timing it alone.
///
/// The bench times this against `pigz` on the files the full job writes. It
/// goes the way the job's `--gzip` goes (`OutputFolder.output`: the content's
/// SHA-256, the gzip writer, the stored file's SHA-256, a staging folder
/// renamed into place), with files taken by `--jobs` workers as the job's
/// workers take statements; only rendering is left out. Hidden: not a command
/// anyone needs.
struct GzipFiles: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "gzip-files",
    abstract: "Compress every file under a folder with treasury-report's gzip writer (bench only).",
    shouldDisplay: false
  )

  @Argument(help: "Folder whose files are compressed (recursively).")
  var input: String

  @Option(help: "Folder written: each file as <relative path>.gz (replaced if it exists).")
  var out: String

  @Option(help: "Files compressed at once.")
  var jobs = ProcessInfo.processInfo.activeProcessorCount

  @Option(help: "gzip level.")
  var level: Int32 = 6

  func run() throws {
    let files = Self.files(under: input)
    try? FileManager.default.removeItem(atPath: out)
    let folder = try OutputFolder(destination: out, gzipLevel: level)
    let root = input
    try WorkQueue.forEach(files.count, jobs: jobs) { (i: Int) throws in
      let writer = try folder.output(files[i])
      guard let handle = FileHandle(forReadingAtPath: root + "/" + files[i]) else {
        throw OutputError.cannotWrite(path: files[i], reason: "cannot open the file to compress")
      }
      defer { try? handle.close() }
      while let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty {
        try chunk.withUnsafeBytes { (raw: UnsafeRawBufferPointer) throws in try writer.write(raw) }
      }
      folder.record(try writer.finish(rows: nil))
    }
    try folder.commit()
  }

  /// Every regular file under `folder`, relative to it, sorted.
  static func files(under folder: String) -> [String] {
    var names: [String] = []
    guard let walker = FileManager.default.enumerator(atPath: folder) else { return names }
    while let name = walker.nextObject() as? String {
      if walker.fileAttributes?[.type] as? FileAttributeType == .typeRegular { names.append(name) }
    }
    return names.sorted()
  }
}
