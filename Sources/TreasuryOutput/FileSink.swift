import Crypto
import TreasuryInput
@_spi(Inlining) import TreasuryModel

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes one new file, hashing and counting its bytes as they pass.
package final class FileSink: RenderTarget {
  package let path: String
  package let relativePath: String
  private var descriptor: Int32
  private var hasher = SHA256()
  package private(set) var bytes = 0

  /// Creates `path` (which must not exist yet) and, unless `foldersExist`, the folders of `relativePath` above it.
  ///
  /// Only folders inside the base (`path` without `relativePath`) are made, never the base itself: once a stopped
  /// run's staging folder is removed, a worker still running cannot make it again.
  package init(path: String, relativePath: String, foldersExist: Bool = false) throws(OutputError) {
    self.path = path
    self.relativePath = relativePath
    if !foldersExist { try Self.makeFolders(relativePath, in: String(path.dropLast(relativePath.count))) }
    descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { throw .cannotWrite(path: path, reason: String(cString: strerror(errno))) }
  }

  deinit {
    if descriptor >= 0 { close(descriptor) }
  }

  package func write(_ chunk: UnsafeRawBufferPointer) throws(OutputError) {
    try writeAll(chunk)
  }

  private func writeAll(_ chunk: UnsafeRawBufferPointer) throws(OutputError) {
    guard chunk.count > 0 else { return }
    hasher.update(bufferPointer: chunk)
    bytes += chunk.count
    if let failure = Syscall.writeAll(descriptor, chunk) { throw .cannotWrite(path: path, reason: failure.reason) }
  }

  /// Closes the file and describes it for the manifest.
  package func finish(rows: Int?) throws(OutputError) -> OutputFile {
    let code = close(descriptor)
    descriptor = -1
    guard code == 0 else { throw .cannotWrite(path: path, reason: String(cString: strerror(errno))) }
    return OutputFile(path: relativePath, bytes: bytes, sha256: Hex.string(hasher.finalize()), rows: rows)
  }

  static func makeFolders(_ relativePath: String, in base: String) throws(OutputError) {
    var folder = base.hasSuffix("/") ? String(base.dropLast()) : base
    for part in relativePath.split(separator: "/").dropLast() {
      folder += "/" + part
      if mkdir(folder, 0o755) != 0 && errno != EEXIST {
        throw .cannotWrite(path: folder, reason: String(cString: strerror(errno)))
      }
    }
  }
}
