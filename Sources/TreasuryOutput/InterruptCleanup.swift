import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// Removes a run's unfinished output when SIGTERM, SIGINT or SIGHUP stops it, then exits with 128 + the signal.
///
/// The handler only writes the signal's number to a pipe (about all a handler may safely do); a thread waiting on
/// the pipe removes every registered staging folder and exits. A signal the caller ignores (`nohup`, `&` in a
/// script) stays ignored. `fetch` does not install this: it is resumable and cleans up after itself on the next run.
public enum InterruptCleanup {
  package static let signals: [Int32] = [SIGTERM, SIGINT, SIGHUP]

  /// What to clean up, by owner; each returns true when it removed something.
  private static let cleanups = Mutex<[ObjectIdentifier: @Sendable () -> Bool]>([:])

  private static let installation: Void = {
    var ends: [Int32] = [-1, -1]
    guard pipe(&ends) == 0 else { return }
    for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
    _ = fcntl(ends[1], F_SETFL, O_NONBLOCK)
    interruptPipe = ends[1]
    for number in signals {
      var current = sigaction()
      guard sigaction(number, nil, &current) == 0,
        unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self) != unsafeBitCast(SIG_IGN, to: Int.self)
      else { continue }
      var action = sigaction()
      action.__sigaction_handler.sa_handler = onInterrupt
      action.sa_flags = SA_RESTART
      sigemptyset(&action.sa_mask)
      sigaction(number, &action, nil)
    }
    let readEnd = ends[0]
    Thread.detachNewThread { waitAndExit(readEnd) }
  }()

  /// Installs the handlers (once per process; later calls do nothing).
  public static func install() { installation }

  static func register(_ owner: ObjectIdentifier, _ cleanup: @escaping @Sendable () -> Bool) {
    cleanups.withLock { $0[owner] = cleanup }
  }

  static func unregister(_ owner: ObjectIdentifier) {
    _ = cleanups.withLock { $0.removeValue(forKey: owner) }
  }

  private static func waitAndExit(_ readEnd: Int32) {
    var byte: UInt8 = 0
    while read(readEnd, &byte, 1) != 1 {
      if errno != EINTR { return }
    }
    let number = Int32(byte)
    let removed = cleanups.withLock { Array($0.values) }.map { $0() }.contains(true)
    let name = [SIGTERM: "SIGTERM", SIGINT: "SIGINT", SIGHUP: "SIGHUP"][number] ?? "a signal"
    let text =
      (isatty(2) == 1 ? "\n" : "") + "treasury-report: stopped by signal \(number) (\(name))"
      + (removed ? "; the unfinished output was removed and --out left as it was" : "") + "\n"
    _ = text.withCString { write(2, $0, strlen($0)) }
    _exit(128 + number)
  }
}

/// The pipe's write end, set before any handler is installed (so the handler only loads it).
nonisolated(unsafe) private var interruptPipe: Int32 = -1

private func onInterrupt(_ number: Int32) {
  let saved = errno
  var byte = UInt8(truncatingIfNeeded: number)
  _ = write(interruptPipe, &byte, 1)
  errno = saved
}
