import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Named instants between the steps of a `run` where the tests kill the process (SIGKILL), to prove that the
/// next run finishes the work: `TREASURY_REPORT_TEST_CRASH=<name>`; or hold it there while another run starts:
/// `TREASURY_REPORT_TEST_PAUSE=<name>` with `TREASURY_REPORT_TEST_PAUSE_FILE=<path>` (created on arrival, the run
/// goes on once it is removed). Unset, they cost two environment lookups.
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
    let environment = ProcessInfo.processInfo.environment
    if environment["TREASURY_REPORT_TEST_PAUSE"] == rawValue, let file = environment["TREASURY_REPORT_TEST_PAUSE_FILE"]
    {
      FileManager.default.createFile(atPath: file, contents: nil)
      while FileManager.default.fileExists(atPath: file) { usleep(20_000) }
    }
    guard environment["TREASURY_REPORT_TEST_CRASH"] == rawValue else { return }
    kill(getpid(), SIGKILL)
  }
}
