import Foundation
@_spi(Inlining) import TreasuryModel
import TreasuryOutput

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Files that appear whole or not at all, through the output stack's `AtomicFileWriter`.
///
/// A fetch may be killed at any instant (SIGKILL included); readers, and the
/// fetch that resumes, see either the old file or the complete new one.
enum AtomicFile {
  /// Writes `bytes` to `path` atomically.
  static func write(_ path: String, _ bytes: [UInt8]) throws(FetchError) {
    let writer = try start(path)
    do throws(OutputError) {
      try bytes.withTypedBytes { (raw) throws(OutputError) in try writer.write(raw) }
      try writer.commit()
    } catch {
      throw failure(error)
    }
  }

  /// Writes `lines` (each followed by a newline) as one reproducible gzip member, atomically.
  static func writeGzipLines(_ path: String, _ lines: [[UInt8]]) throws(FetchError) {
    let writer = try start(path)
    do throws(OutputError) {
      let gzip = try GzipTarget(into: writer, path: path)
      var buffer: [UInt8] = []
      buffer.reserveCapacity(1 << 16)
      for line in lines {
        buffer += line
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count >= 1 << 16 {
          try buffer.withTypedBytes { (raw) throws(OutputError) in try gzip.write(raw) }
          buffer.removeAll(keepingCapacity: true)
        }
      }
      try buffer.withTypedBytes { (raw) throws(OutputError) in try gzip.write(raw) }
      try gzip.finish()
      try writer.commit()
    } catch {
      throw failure(error)
    }
  }

  /// A writer for `path`, its folder made first.
  private static func start(_ path: String) throws(FetchError) -> AtomicFileWriter {
    try makeFolder(URL(fileURLWithPath: path).deletingLastPathComponent().path)
    do { return try AtomicFileWriter(path) } catch { throw failure(error) }
  }

  /// The output stack's error as fetch's (exit 4).
  private static func failure(_ error: OutputError) -> FetchError {
    switch error {
    case .cannotWrite(let path, let reason): return .io(path: path, reason: "cannot write: \(reason)")
    case .cannotCommit(let path, let reason): return .io(path: path, reason: "cannot move into place: \(reason)")
    case .refusingToReplace(let path, _), .overlapsInput(let path, _, _), .holdsEarlierRun(let path, _):
      return .io(path: path, reason: error.message)
    }
  }

  /// The whole file, or nil when it does not exist.
  static func read(_ path: String) throws(FetchError) -> [UInt8]? {
    guard FileManager.default.fileExists(atPath: path) else { return nil }
    guard let data = FileManager.default.contents(atPath: path) else {
      throw .io(path: path, reason: "cannot read the file")
    }
    return [UInt8](data)
  }

  /// Removes `path` if it exists.
  static func remove(_ path: String) throws(FetchError) {
    guard FileManager.default.fileExists(atPath: path) else { return }
    do {
      try FileManager.default.removeItem(atPath: path)
    } catch {
      throw .io(path: path, reason: "cannot remove: \(error.localizedDescription)")
    }
  }

  static func makeFolder(_ path: String) throws(FetchError) {
    do {
      try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    } catch {
      throw .io(path: path, reason: "cannot create the folder: \(error.localizedDescription)")
    }
  }

  /// Makes a rename in `folder` durable (power loss, not only a killed process).
  static func syncFolder(_ folder: String) {
    let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else { return }
    _ = fsync(fd)
    close(fd)
  }
}
