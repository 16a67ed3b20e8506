import Foundation
import Testing

/// A command whose stderr or stdout is a pipe nobody reads any more (`… 2>&1 | head -1` after head exited) must
/// still exit with its own status: a failed write ends the message, it never kills the process (SIGPIPE) or
/// traps (`FileHandle.write`).
@Suite struct ClosedPipeTests {
  /// Runs the binary with fd `fd` (1 or 2) on a pipe whose read end is already closed; prints the exit status, or
  /// `signal N`.
  static let script = """
    import os, subprocess, sys
    fd = int(sys.argv[1])
    r, w = os.pipe()
    os.close(r)
    kwargs = {"stdout": w} if fd == 1 else {"stderr": w}
    p = subprocess.run(sys.argv[2:], stdin=subprocess.DEVNULL, **kwargs)
    print(p.returncode if p.returncode >= 0 else f"signal {-p.returncode}")
    """

  static func status(fd: Int, _ arguments: [String]) throws -> String {
    let binary = TestSupport.binaries.appendingPathComponent("treasury-report").path
    let run = try TestSupport.run("/usr/bin/python3", ["-c", script, String(fd), binary] + arguments)
    return run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  @Test(arguments: [
    (["statements", "/nonexistent-input", "--out", "/tmp/closed-pipe-out"], "4"),
    (["verify", "/nonexistent-folder"], "4"),
    (["validate", "/nonexistent.xml"], "4"),
    (["statements", "--no-such-flag"], "1"),
  ])
  func aClosedStderrLeavesTheExitStatus(arguments: [String], status: String) throws {
    #expect(try Self.status(fd: 2, arguments) == status)
  }

  @Test func aClosedStdoutLeavesTheExitStatus() throws {
    let folder = TestSupport.TemporaryFolder()
    let out = folder.file("out")
    let run = try TestSupport.run("treasury-report", ["statements", TestSupport.samples, "--out", out])
    #expect(run.status == 0, "\(run.stderr)")
    // verify prints its verdict on stdout.
    #expect(try Self.status(fd: 1, ["verify", out]) == "0")
  }
}
