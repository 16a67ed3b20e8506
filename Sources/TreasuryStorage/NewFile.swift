import Foundation
import TreasuryInput

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A file `download` creates, which must not exist before, and which is removed again unless `keep()` is called.
final class NewFile {
  let path: String
  let descriptor: Int32
  private var kept = false

  init(_ path: String) throws(StorageError) {
    descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { throw .io(path: path, reason: "cannot create: \(String(cString: strerror(errno)))") }
    self.path = path
  }

  deinit {
    close(descriptor)
    if !kept { unlink(path) }
  }

  func write(_ bytes: [UInt8]) throws(StorageError) {
    if let failure = bytes.withUnsafeBytes({ Syscall.writeAll(descriptor, $0) }) {
      throw .io(path: path, reason: "cannot write: \(failure.reason)")
    }
  }

  /// The file is complete: it stays.
  func keep() { kept = true }
}
