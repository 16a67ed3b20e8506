#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A temporary file a worker appends to (partition records, id sightings, rejected lines), created on the first
/// write; a failed write is kept in `failure` and later writes are dropped, for the caller to stop and report.
package struct SpillFile: Sendable {
  package let path: String
  /// Made (mode 0700) before the file, when given.
  let folder: String?
  private var fd: Int32 = -1
  /// Whether the file was created (it stays on disk after `close()`).
  package private(set) var exists = false
  /// Bytes written so far.
  package private(set) var written = 0
  package private(set) var failure: SpillError?

  package init(path: String, folder: String? = nil) {
    self.path = path
    self.folder = folder
  }

  package mutating func append(_ bytes: UnsafeRawBufferPointer) {
    guard failure == nil, !bytes.isEmpty else { return }
    if fd < 0 {
      if !exists, let folder, mkdir(folder, 0o700) != 0 && errno != EEXIST {
        failure = .cannotWrite(path: folder, reason: String(cString: strerror(errno)))
        return
      }
      fd = open(path, exists ? O_WRONLY | O_APPEND | O_CLOEXEC : O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
      guard fd >= 0 else {
        failure = .cannotWrite(path: path, reason: String(cString: strerror(errno)))
        return
      }
      exists = true
    }
    var offset = 0
    while offset < bytes.count {
      let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
      if n < 0 {
        if errno == EINTR { continue }
        failure = .cannotWrite(path: path, reason: String(cString: strerror(errno)))
        return
      }
      offset += n
    }
    written += bytes.count
  }

  package mutating func close() {
    if fd >= 0 { closeDescriptor(fd) }
    fd = -1
  }
}

private func closeDescriptor(_ fd: Int32) { close(fd) }
