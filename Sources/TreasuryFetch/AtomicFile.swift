import Foundation
import TreasuryModel
import TreasuryOutput

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Files that appear whole or not at all: written beside their place under a hidden name, synced, then renamed.
///
/// A fetch may be killed at any instant (SIGKILL included); readers, and the
/// fetch that resumes, see either the old file or the complete new one.
enum AtomicFile {
  /// Writes `bytes` to `path` atomically.
  static func write(_ path: String, _ bytes: [UInt8]) throws(FetchError) {
    let writer = try AtomicWriter(path)
    do {
      try bytes.withUnsafeBytes { try writer.write($0) }
    } catch {
      throw .io(path: path, reason: "cannot write: \(error)")
    }
    try writer.commit()
  }

  /// Writes `lines` (each followed by a newline) as one reproducible gzip member, atomically.
  static func writeGzipLines(_ path: String, _ lines: [[UInt8]]) throws(FetchError) {
    let writer = try AtomicWriter(path)
    do {
      let gzip = try GzipTarget(into: writer)
      var buffer: [UInt8] = []
      buffer.reserveCapacity(1 << 16)
      for line in lines {
        buffer += line
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count >= 1 << 16 {
          try buffer.withUnsafeBytes { try gzip.write($0) }
          buffer.removeAll(keepingCapacity: true)
        }
      }
      try buffer.withUnsafeBytes { try gzip.write($0) }
      try gzip.finish()
    } catch let error as FetchError {
      throw error
    } catch {
      throw .io(path: path, reason: "cannot write: \(error)")
    }
    try writer.commit()
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

/// One file being written under a hidden temporary name beside its final path.
final class AtomicWriter: RenderTarget {
  let path: String
  let temporary: String
  private var descriptor: Int32

  init(_ path: String) throws(FetchError) {
    self.path = path
    let url = URL(fileURLWithPath: path)
    let folder = url.deletingLastPathComponent().path
    temporary = folder + "/." + url.lastPathComponent + ".tmp"
    try AtomicFile.makeFolder(folder)
    descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { throw .io(path: temporary, reason: String(cString: strerror(errno))) }
  }

  deinit {
    if descriptor >= 0 {
      close(descriptor)
      unlink(temporary)
    }
  }

  func write(_ bytes: UnsafeRawBufferPointer) throws {
    guard var base = bytes.baseAddress, bytes.count > 0 else { return }
    var remaining = bytes.count
    while remaining > 0 {
      let n = Glibc.write(descriptor, base, remaining)
      if n < 0 {
        if errno == EINTR { continue }
        throw FetchError.io(path: temporary, reason: String(cString: strerror(errno)))
      }
      remaining -= n
      base += n
    }
  }

  /// Syncs the data, then renames the file into place.
  func commit() throws(FetchError) {
    let synced = fsync(descriptor) == 0
    let closed = close(descriptor) == 0
    descriptor = -1
    guard synced && closed else {
      let reason = String(cString: strerror(errno))
      unlink(temporary)
      throw .io(path: path, reason: "cannot write: \(reason)")
    }
    guard rename(temporary, path) == 0 else {
      let reason = String(cString: strerror(errno))
      unlink(temporary)
      throw .io(path: path, reason: "cannot move into place: \(reason)")
    }
  }
}
