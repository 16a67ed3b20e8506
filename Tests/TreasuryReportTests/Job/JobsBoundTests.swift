import Foundation
import Testing

@testable import TreasuryJob
@_spi(Inlining) @testable import TreasuryModel

/// `--jobs N` means at most N threads at work, also when big accounts take the partitioned path, which has
/// workers of its own.
@Suite struct JobsBoundTests {
  @Test(arguments: [1, 2, 3])
  func partitionedAccountsNeverMakeMoreThanJobsThreadsBusy(jobs: Int) throws {
    let folder = TestSupport.TemporaryFolder()
    try TestSupport.generate(
      into: folder.file("dump"), ["--accounts", "6", "--months", "4", "--transactions-per-month", "300", "--seed", "3"])
    var options = StatementsOptions(inputs: [folder.file("dump")], output: folder.file("out"))
    options.jobs = jobs
    options.partitionThreshold = 0  // every account is big: all of them go through the partitioned path
    options.formats = [.csv]
    let busy = BusyThreads()
    var job = StatementsJob(options: options)
    job.busyThreads = busy
    let report = job.run()
    #expect(report.exitCode == ExitStatus.success, "\(report.errors)")
    #expect(busy.most >= 1)
    #expect(busy.most <= jobs, "\(busy.most) threads were busy at once with --jobs \(jobs)")
  }
}
