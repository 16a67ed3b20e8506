import Foundation
import Testing

@Suite struct TestSupportTests {
  /// More standard error than a pipe holds, written before standard output closes: `run` must not block.
  @Test func aChildFillingStandardErrorDoesNotBlock() throws {
    let run = try TestSupport.run(
      "/bin/sh", ["-c", "head -c 300000 /dev/zero | tr '\\\\0' x >&2; echo done"])
    #expect(run.status == 0)
    #expect(run.stdout == "done\n")
    #expect(run.stderr.utf8.count == 300_000)
  }
}
