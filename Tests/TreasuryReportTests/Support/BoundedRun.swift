import Foundation
import Testing

/// Runs one of the package's executables under a Python parent that kills it after a timeout and reports its
/// peak resident memory, so that an attack test can assert "finishes" and "stays small" without timing itself.
///
/// The parent waits for nothing but this one child, so `RUSAGE_CHILDREN` is the child's own peak.
enum BoundedRun {
  struct Result {
    var status: Int32
    var stdout: String
    /// The child's standard error, without the parent's report line.
    var stderr: String
    /// Peak resident set size of the child, in MiB.
    var peakMiB: Int
    /// True when the child was killed at the timeout (`status` is then -9).
    var timedOut: Bool
  }

  private static let parent = """
    import resource, subprocess, sys
    timeout, args = float(sys.argv[1]), sys.argv[2:]
    try:
        code = str(subprocess.run(args, timeout=timeout).returncode)
    except subprocess.TimeoutExpired:
        code = 'timeout'
    sys.stderr.flush()
    sys.stderr.write('\\n@bounded-run %s %d\\n' % (code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
    """

  /// `timeout` is a generous bound for "does not hang", never a speed assertion.
  static func run(_ program: String, _ arguments: [String], timeout: Int = 120, cwd: String? = nil) throws -> Result {
    let executable = TestSupport.binaries.appendingPathComponent(program).path
    let run = try TestSupport.run(
      "/usr/bin/env", ["python3", "-c", parent, String(timeout), executable] + arguments, cwd: cwd)
    guard let marker = run.stderr.range(of: "\n@bounded-run ", options: .backwards) else {
      Issue.record("no report from the bounded-run parent: \(run.stderr.suffix(2000))")
      return Result(status: run.status, stdout: run.stdout, stderr: run.stderr, peakMiB: .max, timedOut: false)
    }
    let fields = run.stderr[marker.upperBound...].split(separator: " ").map {
      $0.trimmingCharacters(in: .whitespacesAndNewlines)
    }
    let timedOut = fields.first == "timeout"
    return Result(
      status: timedOut ? -9 : Int32(fields.first ?? "") ?? -1, stdout: run.stdout,
      stderr: String(run.stderr[..<marker.lowerBound]),
      peakMiB: (fields.count > 1 ? Int(fields[1]) ?? .max : .max) / 1024,
      timedOut: timedOut)
  }
}
