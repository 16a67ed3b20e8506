#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The reads and writes on file descriptors, in one place for every target (Input reads, Output and Fetch write,
/// stderr is written): each call retries EINTR, and a write continues after a short write.
///
/// The only place that names the C library module to call `read(2)` and `write(2)` (a method named `read` or
/// `write` would otherwise hide them).
package enum Syscall {
  /// Reads at most `buffer.count` bytes: the count (0 at the end of the file), or `.failure` with errno's text.
  @inline(__always)
  package static func read(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Result<Int, Failure> {
    guard let base = buffer.baseAddress, buffer.count > 0 else { return .success(0) }
    while true {
      #if canImport(Glibc)
        let n = Glibc.read(descriptor, base, buffer.count)
      #else
        let n = Darwin.read(descriptor, base, buffer.count)
      #endif
      if n >= 0 { return .success(n) }
      if errno == EINTR { continue }
      return .failure(Failure.current)
    }
  }

  /// Writes all of `bytes`; `.failure` with errno's text when a write fails (what came before it was written).
  package static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Failure? {
    guard var base = bytes.baseAddress, bytes.count > 0 else { return nil }
    var remaining = bytes.count
    while remaining > 0 {
      #if canImport(Glibc)
        let n = Glibc.write(descriptor, base, remaining)
      #else
        let n = Darwin.write(descriptor, base, remaining)
      #endif
      if n < 0 {
        if errno == EINTR { continue }
        return Failure.current
      }
      if n == 0 { return Failure(reason: "nothing was written") }
      remaining -= n
      base += n
    }
    return nil
  }

  /// A failed call: errno's text (`strerror`).
  package struct Failure: Error, Sendable, Equatable {
    package var reason: String

    package init(reason: String) { self.reason = reason }

    /// The failure errno describes now.
    package static var current: Failure { Failure(reason: String(cString: strerror(errno))) }
  }
}
