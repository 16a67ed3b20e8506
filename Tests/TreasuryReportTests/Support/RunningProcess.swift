import Foundation

/// A program the test keeps control of while it runs: its standard input stays open until closed, it can be sent
/// signals, and waiting for it is bounded (a run that hangs is killed and reported, never hangs the suite).
///
/// Started as a shell starts a command: no signal blocked, SIGTERM, SIGINT, SIGHUP, SIGPIPE and SIGXFSZ at their
/// default. (`Process` passes on the test thread's mask, which blocks nearly every signal.)
final class RunningProcess {
  struct Outcome {
    /// Exit status, or the signal number when `signalled`.
    var status: Int32
    var signalled: Bool
  }

  let pid: pid_t
  private var input: Int32
  private let errPath = NSTemporaryDirectory() + "treasury-test-stderr-\(UUID().uuidString)"
  private let exited = DispatchSemaphore(value: 0)
  private let waitStatus = WaitStatus()

  /// Filled by the thread that waits for the child, before it signals `exited`.
  private final class WaitStatus: @unchecked Sendable {
    var value: Int32 = 0
  }

  /// Starts `program` (a package executable, or any program by absolute path) in the folder `cwd`.
  init(_ program: String, _ arguments: [String], cwd: String) throws {
    let path = program.hasPrefix("/") ? program : TestSupport.binaries.appendingPathComponent(program).path
    var ends: [Int32] = [-1, -1]
    guard pipe(&ends) == 0 else { throw POSIXError(.EMFILE) }
    for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, ends[0], 0)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var none = sigset_t()
    sigemptyset(&none)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for number in [SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGXFSZ] { sigaddset(&defaults, number) }
    posix_spawnattr_setsigmask(&attributes, &none)
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    // The shell changes folder and then becomes the program (same pid).
    let argv = ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", cwd, path] + arguments
    var cArguments = argv.map { strdup($0) } + [nil]
    defer { for argument in cArguments { free(argument) } }
    var child: pid_t = 0
    let code = posix_spawn(&child, "/bin/sh", &actions, &attributes, &cArguments, environ)
    close(ends[0])
    guard code == 0 else {
      close(ends[1])
      throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EINVAL)
    }
    pid = child
    input = ends[1]
    let status = waitStatus
    Thread.detachNewThread { [exited, child] in
      while waitpid(child, &status.value, 0) < 0 && errno == EINTR {}
      exited.signal()
    }
  }

  deinit {
    if exited.wait(timeout: .now()) != .success {
      kill(pid, SIGKILL)
      _ = exited.wait(timeout: .now() + 10)
    }
    closeInput()
    try? FileManager.default.removeItem(atPath: errPath)
  }

  func send(_ text: String) {
    var bytes = Array(text.utf8)[...]
    while !bytes.isEmpty {
      let n = bytes.withUnsafeBytes { write(input, $0.baseAddress, $0.count) }
      guard n > 0 else { return }
      bytes = bytes.dropFirst(n)
    }
  }

  func closeInput() {
    if input >= 0 { close(input) }
    input = -1
  }

  func signal(_ number: Int32) { kill(pid, number) }

  /// Waits at most `seconds`; nil when the program was still running (it is then killed).
  func wait(seconds: Double = 60) -> Outcome? {
    guard exited.wait(timeout: .now() + seconds) == .success else {
      kill(pid, SIGKILL)
      _ = exited.wait(timeout: .now() + 10)
      exited.signal()
      return nil
    }
    exited.signal()  // later waits (and deinit) see it exited
    let status = waitStatus.value
    let signalled = status & 0x7f != 0
    return Outcome(status: signalled ? status & 0x7f : (status >> 8) & 0xff, signalled: signalled)
  }

  var stderr: String { TestSupport.text(errPath) }

  /// Polls `condition` every 20 ms for at most `seconds`; true once it holds.
  static func eventually(seconds: Double = 60, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      if condition() { return true }
      usleep(20_000)
    }
    return condition()
  }
}
