import Foundation
import TreasuryInput
@_spi(Inlining) import TreasuryModel

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One file that appears whole or not at all: written under a hidden temporary name beside its place, synced,
/// then renamed over it by `commit()`.
///
/// A process killed at any instant (SIGKILL included) leaves readers the old file or the complete new one. Bytes go
/// through the same `Syscall.writeAll` as every other file the tool writes; dropped without `commit()`, the
/// temporary file is removed.
package final class AtomicFileWriter: RenderTarget {
  package let path: String
  package let temporary: String
  private var descriptor: Int32

  /// Creates (or empties) the temporary file; the folder holding `path` must exist.
  package init(_ path: String) throws(OutputError) {
    self.path = path
    let url = URL(fileURLWithPath: path)
    temporary = url.deletingLastPathComponent().path + "/." + url.lastPathComponent + ".tmp"
    descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { throw .cannotWrite(path: temporary, reason: String(cString: strerror(errno))) }
  }

  deinit {
    if descriptor >= 0 {
      close(descriptor)
      unlink(temporary)
    }
  }

  package func write(_ bytes: UnsafeRawBufferPointer) throws(OutputError) {
    if let failure = Syscall.writeAll(descriptor, bytes) {
      throw .cannotWrite(path: temporary, reason: failure.reason)
    }
  }

  /// Syncs the data, then renames the file into place (`.cannotCommit` when the rename fails).
  package func commit() throws(OutputError) {
    let synced = fsync(descriptor) == 0
    let closed = close(descriptor) == 0
    descriptor = -1
    guard synced && closed else {
      let reason = String(cString: strerror(errno))
      unlink(temporary)
      throw .cannotWrite(path: path, reason: reason)
    }
    guard rename(temporary, path) == 0 else {
      let reason = String(cString: strerror(errno))
      unlink(temporary)
      throw .cannotCommit(path: path, reason: reason)
    }
  }
}
