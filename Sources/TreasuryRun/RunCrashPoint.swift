import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Named instants between the steps of a `run` where the tests kill the process (SIGKILL), to prove that the
/// next run finishes the work: `TREASURY_REPORT_TEST_CRASH=<name>`. Unset, it costs one environment lookup.
enum RunCrashPoint: String, CaseIterable {
  /// The lock is taken; nothing is built.
  case afterLock = "run-after-lock"
  /// Statements are built in the working folder; nothing is published.
  case afterBuild = "run-after-build"
  /// A version's statement files are stored, not its `statement.json`.
  case afterVersionFiles = "run-after-version-files"
  /// Every version is complete; the index is not appended.
  case beforeIndex = "run-before-index"
  /// The index is appended; the run record is not written.
  case afterIndex = "run-after-index"
  /// The run record is written; the lock is not released.
  case beforeUnlock = "run-before-unlock"

  func reach() {
    guard ProcessInfo.processInfo.environment["TREASURY_REPORT_TEST_CRASH"] == rawValue else { return }
    kill(getpid(), SIGKILL)
  }
}
