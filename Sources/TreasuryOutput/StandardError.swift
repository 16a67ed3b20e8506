import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Writes to the process's stderr as far as it will take the text, and never traps.
///
/// `FileHandle.write` traps when stderr fails (a file past `ulimit -f`, a closed pipe), which would turn a run's
/// exit status into a crash; here a failed write just ends the message (SIGPIPE is ignored by the command).
package enum StandardError {
  package static func write(_ text: String) {
    var bytes = Array(text.utf8)[...]
    while !bytes.isEmpty {
      let n = bytes.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
      if n < 0 && errno == EINTR { continue }
      guard n > 0 else { return }
      bytes = bytes.dropFirst(n)
    }
  }
}
