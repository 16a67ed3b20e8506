#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A stretch of an uncompressed JSON-lines file that starts and ends on line boundaries, read on its own.
///
/// A large file is cut into ranges so that several workers can decode it at
/// once; each range knows the number of its first line so messages stay exact.
package struct FileRange: Sendable, Hashable {
  package var start: Int
  package var end: Int
  /// The line number of the range's first line (1 for the start of the file).
  package var firstLine: Int

  /// Cuts `path` (of `size` bytes) into ranges of about `target` bytes, each ending after a newline.
  package static func split(path: String, size: Int, target: Int) throws(InputError) -> [FileRange] {
    guard size > target else { return [FileRange(start: 0, end: size, firstLine: 1)] }
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
    defer { close(fd) }
    var cuts = [0]
    var probe = [UInt8](repeating: 0, count: 1 << 16)
    var next = target
    while next < size {
      // The cut goes after the first newline at or beyond `next`.
      var position = next
      var found = -1
      while found < 0 && position < size {
        let n = probe.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(position)) }
        guard n > 0 else { break }
        if let i = probe[0..<n].firstIndex(of: 10) { found = position + i + 1 } else { position += n }
      }
      guard found > 0 && found < size else { break }
      cuts.append(found)
      next = found + target
    }
    cuts.append(size)
    var ranges: [FileRange] = []
    for i in 0..<(cuts.count - 1) { ranges.append(FileRange(start: cuts[i], end: cuts[i + 1], firstLine: 0)) }
    return ranges
  }

  /// The number of newlines in the range (so later ranges can number their lines).
  package func countNewlines(path: String, buffer: ReadBuffer) throws(InputError) -> Int {
    let source = try FileRangeSource(path: path, range: self)
    var count = 0
    while true {
      let n = try source.read(into: buffer.whole)
      if n == 0 { return count }
      count += Self.newlines(in: UnsafeRawBufferPointer(rebasing: buffer.whole[0..<n]))
    }
  }

  /// The number of `\n` bytes in `bytes` (memchr finds each one at SIMD speed).
  package static func newlines(in bytes: UnsafeRawBufferPointer) -> Int {
    guard var p = bytes.baseAddress else { return 0 }
    var remaining = bytes.count
    var count = 0
    while remaining > 0, let hit = memchr(p, 10, remaining) {
      count += 1
      let skip = p.distance(to: UnsafeRawPointer(hit)) + 1
      p += skip
      remaining -= skip
    }
    return count
  }
}

/// Reads one `FileRange` of a file with `pread`, without hashing (the whole file is hashed separately).
package final class FileRangeSource: ByteSource {
  package let path: String
  private let descriptor: Int32
  private var offset: Int
  private let end: Int

  /// `name`, if given, is what messages call the file (`-` for standard input's copy).
  package init(path: String, range: FileRange, shownAs name: String? = nil) throws(InputError) {
    self.path = name ?? path
    descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw .unreadable(path: self.path, reason: String(cString: strerror(errno))) }
    offset = range.start
    end = range.end
  }

  deinit { close(descriptor) }

  package func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
    let wanted = min(buffer.count, end - offset)
    guard wanted > 0, let base = buffer.baseAddress else { return 0 }
    while true {
      let n = pread(descriptor, base, wanted, off_t(offset))
      if n >= 0 {
        offset += n
        return n
      }
      if errno == EINTR { continue }
      throw .unreadable(path: path, reason: String(cString: strerror(errno)))
    }
  }
}
