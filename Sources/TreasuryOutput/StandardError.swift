import TreasuryInput

/// Writes to the process's stderr as far as it will take the text, and never traps.
///
/// `FileHandle.write` traps when stderr fails (a file past `ulimit -f`, a closed pipe), which would turn a run's
/// exit status into a crash; here a failed write just ends the message (SIGPIPE is ignored by the command).
public enum StandardError {
  public static func write(_ text: String) {
    let bytes = Array(text.utf8)
    _ = bytes.withUnsafeBytes { Syscall.writeAll(2, $0) }
  }
}
