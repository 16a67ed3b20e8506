import Crypto
import TreasuryModel
import TreasuryZlib

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Something that yields the bytes of one input, in order.
package protocol ByteSource: AnyObject {
  /// The path shown in messages (`-` for standard input).
  var path: String { get }
  /// Fills the start of `buffer`; returns how many bytes it wrote, 0 at the end.
  func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int
}

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
    guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
    while true {
      let n = Glibc.read(descriptor, base, buffer.count)
      if n >= 0 {
        if n > 0 {
          hasher?.update(bufferPointer: UnsafeRawBufferPointer(start: base, count: n))
          bytesRead += n
        }
        return n
      }
      if errno == EINTR { continue }
      throw .unreadable(path: path, reason: String(cString: strerror(errno)))
    }
  }

  /// The SHA-256 of every byte read, as lowercase hex. Call once, at the end, on a hashing source.
  package func finalizeDigest() -> String {
    guard let hasher else { preconditionFailure("finalizeDigest() on a FileByteSource opened with hashing: false") }
    return Hex.string(hasher.finalize())
  }
}

/// Decompresses a gzip file as it is read (streaming; memory stays at two small buffers).
package final class GzipByteSource: ByteSource {
  package var path: String { file.path }
  private let file: FileByteSource
  private let inflater: Inflater
  private let input: UnsafeMutableRawBufferPointer
  private var inputStart = 0
  private var inputEnd = 0
  private var fileEnded = false
  /// The line reader tells us how far it got, for messages about corrupt data.
  package var lastLine = 0

  package init(file: FileByteSource) throws(InputError) {
    self.file = file
    do {
      inflater = try Inflater()
    } catch {
      throw .unreadable(path: file.path, reason: error.message)
    }
    input = .allocate(byteCount: 256 * 1024, alignment: 16)
  }

  deinit { input.deallocate() }

  package func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
    while true {
      if inputStart == inputEnd && !fileEnded {
        inputStart = 0
        inputEnd = try file.read(into: input)
        if inputEnd == 0 { fileEnded = true }
      }
      if inputStart == inputEnd && fileEnded {
        do {
          try inflater.checkEnd()
        } catch {
          throw .corruptGzip(path: path, line: lastLine, reason: error.message)
        }
        return 0
      }
      let pending = UnsafeRawBufferPointer(rebasing: input[inputStart..<inputEnd])
      let result: (consumed: Int, produced: Int, memberEnded: Bool)
      do {
        result = try inflater.inflate(input: pending, output: buffer)
      } catch {
        throw .corruptGzip(path: path, line: lastLine, reason: error.message)
      }
      inputStart += result.consumed
      if result.produced > 0 { return result.produced }
      if result.consumed == 0 && inputStart < inputEnd && !result.memberEnded {
        // zlib wants more input than this buffer can show it; cannot happen
        // with a 256 KiB buffer and a valid stream.
        throw .corruptGzip(path: path, line: lastLine, reason: "no progress")
      }
    }
  }
}
