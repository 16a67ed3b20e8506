import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Named instants inside a commit where the tests kill the process (SIGKILL) to prove a resumed fetch recovers.
///
/// Timing a kill from outside cannot hit the few milliseconds between two
/// renames; `TREASURY_REPORT_TEST_CRASH=<name>` does, exactly. Unset, it costs
/// one environment lookup per commit.
enum CrashPoint: String {
  /// An account's dump files are renamed into place; its state and the run's marker are not written.
  case afterDumpFiles = "after-dump-files"
  /// The account state is saved; the run's committed marker is not.
  case afterAccountState = "after-account-state"
  /// The manifest is written; the finished run folder is not removed.
  case beforeRunRemoval = "before-run-removal"

  func reach() {
    guard ProcessInfo.processInfo.environment["TREASURY_REPORT_TEST_CRASH"] == rawValue else { return }
    kill(getpid(), SIGKILL)
  }
}
