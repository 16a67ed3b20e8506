import Crypto
@_spi(Inlining) import TreasuryModel

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads a file (or standard input) with large `read(2)` calls, counting the raw bytes and, unless told not to,
/// hashing them.
package final class FileByteSource: ByteSource {
  package let path: String
  private let descriptor: Int32
  private let ownsDescriptor: Bool
  private var hasher: SHA256?
  /// Raw bytes read so far (the compressed size for a .gz file).
  package private(set) var bytesRead = 0

  /// Opens `path`; `-` means standard input. `hashing: false` skips SHA-256 for readers that never ask for it.
  /// `name`, if given, is what messages call the file (`-` for standard input's copy).
  package init(path: String, hashing: Bool = true, shownAs name: String? = nil) throws(InputError) {
    self.path = name ?? path
    hasher = hashing ? SHA256() : nil
    if path == "-" {
      descriptor = 0
      ownsDescriptor = false
    } else {
      let fd = open(path, O_RDONLY | O_CLOEXEC)
      guard fd >= 0 else {
        let code = errno
        if code == ENOENT { throw .notFound(path: self.path) }
        throw .unreadable(path: self.path, reason: String(cString: strerror(code)))
      }
      descriptor = fd
      ownsDescriptor = true
    }
  }

  deinit {
    if ownsDescriptor { close(descriptor) }
  }

  package func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
    switch Syscall.read(descriptor, into: buffer) {
    case .success(let n):
      if n > 0, let base = buffer.baseAddress {
        hasher?.update(bufferPointer: UnsafeRawBufferPointer(start: base, count: n))
        bytesRead += n
      }
      return n
    case .failure(let failure):
      throw .unreadable(path: path, reason: failure.reason)
    }
  }

  /// The SHA-256 of every byte read, as lowercase hex. Call once, at the end, on a hashing source.
  package func finalizeDigest() -> String {
    guard let hasher else { preconditionFailure("finalizeDigest() on a FileByteSource opened with hashing: false") }
    return Hex.string(hasher.finalize())
  }
}
