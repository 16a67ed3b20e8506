import Crypto
import Foundation
import TreasuryInput

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads local files for the stores: a whole file's SHA-256, a copy that hashes as it goes, a slice for one part.
package enum FileDigest {
  /// The size and lowercase hex SHA-256 of the file at `path`.
  package static func of(_ path: String) throws(StorageError) -> (size: Int64, sha256: String) {
    let source: FileByteSource
    do { source = try FileByteSource(path: path) } catch { throw .io(path: path, reason: error.message) }
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
    defer { buffer.deallocate() }
    do {
      while try source.read(into: buffer) > 0 {}
    } catch {
      throw .io(path: path, reason: error.message)
    }
    return (Int64(source.bytesRead), source.finalizeDigest())
  }

  /// The size and SHA-256 of the whole file and the SHA-256 of each `partSize` piece of it (the last may be
  /// shorter), in one pass: what a multipart upload checks its parts and the whole against.
  static func parts(_ path: String, partSize: Int) throws(StorageError) -> (
    size: Int64, sha256: String, parts: [SHA256.Digest]
  ) {
    let source: FileByteSource
    do { source = try FileByteSource(path: path) } catch { throw .io(path: path, reason: error.message) }
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
    defer { buffer.deallocate() }
    var parts: [SHA256.Digest] = []
    var part = SHA256()
    var inPart = 0
    while true {
      let n: Int
      do { n = try source.read(into: buffer) } catch { throw .io(path: path, reason: error.message) }
      if n == 0 { break }
      var start = 0
      while start < n {
        let take = min(n - start, partSize - inPart)
        part.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[start..<start + take]))
        inPart += take
        start += take
        if inPart == partSize {
          parts.append(part.finalize())
          part = SHA256()
          inPart = 0
        }
      }
    }
    if inPart > 0 { parts.append(part.finalize()) }
    return (Int64(source.bytesRead), source.finalizeDigest(), parts)
  }

  /// Copies the file at `from` into the open descriptor `to` (named `toPath` in messages), refusing to write more
  /// than `maxBytes`; returns what was copied and its SHA-256.
  static func copy(from: String, to descriptor: Int32, toPath: String, maxBytes: Int64) throws(StorageError) -> (
    size: Int64, sha256: String, overLimit: Bool
  ) {
    let source: FileByteSource
    do { source = try FileByteSource(path: from) } catch { throw .io(path: from, reason: error.message) }
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
    defer { buffer.deallocate() }
    while true {
      let n: Int
      do { n = try source.read(into: buffer) } catch { throw .io(path: from, reason: error.message) }
      if n == 0 { break }
      if Int64(source.bytesRead) > maxBytes { return (Int64(source.bytesRead), "", true) }
      if let failure = Syscall.writeAll(descriptor, UnsafeRawBufferPointer(rebasing: buffer[..<n])) {
        throw .io(path: toPath, reason: "cannot write: \(failure.reason)")
      }
    }
    return (Int64(source.bytesRead), source.finalizeDigest(), false)
  }

  /// The `count` bytes of the file at `path` from `offset` (one part of a multipart upload).
  static func slice(_ path: String, offset: Int64, count: Int) throws(StorageError) -> [UInt8] {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw .io(path: path, reason: "cannot open: \(String(cString: strerror(errno)))") }
    defer { close(descriptor) }
    var bytes = [UInt8](repeating: 0, count: count)
    var filled = 0
    while filled < count {
      let n = bytes.withUnsafeMutableBytes {
        pread(descriptor, $0.baseAddress! + filled, count - filled, off_t(offset) + off_t(filled))
      }
      if n < 0 && errno == EINTR { continue }
      guard n > 0 else {
        throw .io(path: path, reason: n == 0 ? "the file is shorter than it was" : String(cString: strerror(errno)))
      }
      filled += n
    }
    return bytes
  }
}
