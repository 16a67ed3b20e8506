import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Runs one of the package's executables with standard input from a file and reports its peak resident memory,
/// from the kernel's own accounting (`wait4`'s `ru_maxrss`): no sampling, no timing.
enum PeakMemory {
  struct Run {
    var status: Int32
    /// Peak resident set size in bytes.
    var peak: Int
    var stderr: String
  }

  static func run(_ program: String, _ arguments: [String], stdin: String = "/dev/null", cwd: String) throws -> Run {
    let errPath = NSTemporaryDirectory() + "treasury-peak-stderr-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: errPath) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    // env(1) changes folder and then execs the program in the same process, whose peak is what wait4 reports.
    let path = TestSupport.binaries.appendingPathComponent(program).path
    let argv: [UnsafeMutablePointer<CChar>?] =
      (["/usr/bin/env", "-C", cwd, path] + arguments).map { strdup($0) } + [nil]
    defer { for arg in argv { free(arg) } }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, "/usr/bin/env", &actions, nil, argv, environ)
    guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EINVAL) }
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
    let exit = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    return Run(status: exit, peak: usage.ru_maxrss * 1024, stderr: TestSupport.text(errPath))
  }
}
