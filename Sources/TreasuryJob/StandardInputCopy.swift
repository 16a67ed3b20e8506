import TreasuryInput

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Standard input, copied into the staging folder before anything is read, so that it is read like a file.
///
/// A pipe has no size, so without the copy a run cannot know that its input is
/// big enough for the two-phase path, and holds all of it in memory at once; the
/// copy has a size (and can be read in ranges), and memory stays as flat as for
/// files. It costs the input's size on disk, beside the output, until reading ends.
enum StandardInputCopy {
  /// Where `file`'s bytes are: the file itself, or standard input's `copy`.
  static func location(of file: InputFile, copy: String?) -> String {
    file.path == "-" ? copy ?? file.path : file.path
  }

  /// Copies standard input (`descriptor`) to a hidden file in `staging` when `catalog` names it (`-`), and gives its
  /// entries the copy's size; returns the copy's path, or nil when standard input is not an input.
  static func make(
    for catalog: inout InputCatalog, in staging: String, from descriptor: Int32 = 0
  ) throws(JobError) -> String? {
    guard catalog.files.contains(where: { $0.path == "-" }) else { return nil }
    let path = staging + "/.standard-input.jsonl"
    let out = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard out >= 0 else { throw .sink(.cannotWrite(path: path, reason: String(cString: strerror(errno)))) }
    defer { close(out) }
    let buffer = ReadBuffer()
    var size = 0
    while true {
      let n = read(descriptor, buffer.whole.baseAddress, buffer.whole.count)
      if n < 0 {
        if errno == EINTR { continue }
        throw .input(.unreadable(path: "-", reason: String(cString: strerror(errno))))
      }
      if n == 0 { break }
      var written = 0
      while written < n {
        let w = write(out, buffer.whole.baseAddress! + written, n - written)
        if w < 0 {
          if errno == EINTR { continue }
          throw .sink(.cannotWrite(path: path, reason: String(cString: strerror(errno))))
        }
        written += w
      }
      size += n
    }
    for i in catalog.files.indices where catalog.files[i].path == "-" { catalog.files[i].size = size }
    return path
  }
}
