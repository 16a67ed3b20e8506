import Foundation
import Testing

@testable import TreasuryInput
@testable import TreasuryJob
@testable import TreasuryOutput
@testable import TreasuryPartition

/// A spill file that cannot be written stops phase A: the rest of a big input is not decoded for nothing.
@Suite struct SpillFailureTests {
  @Test func aSpillWriteFailureStopsReading() throws {
    let folder = TestSupport.TemporaryFolder()
    var lines = Lines.receivedCredits(10_000)
    // Far past the first spill flush: reached only if reading goes on after the failure.
    lines[9_999] = "{\"id\": \"broken\""
    let path = folder.write("acct_1Big/all.jsonl", lines.joined(separator: "\n") + "\n")

    var options = StatementsOptions(inputs: [path], output: folder.file("out"))
    options.jobs = 1
    options.partitionThreshold = 0
    let output = try OutputFolder(destination: folder.file("out"))
    let worker = UnitWorker(
      options: options, plan: try PeriodPlan(options: options), folder: output, progress: nil, asOf: nil,
      exports: StatementExports(), ids: IdIndex(folder: output.staging + "/.ids"), rejects: RejectLog(folder: nil))
    // A folder where each spill file would go: opening it for writing fails (EISDIR), even for root.
    let spill = output.staging + "/.spill-acct_1Big"
    for p in 0..<256 {
      try FileManager.default.createDirectory(
        atPath: PartitionWriter.path(folder: spill, partition: p, worker: 0), withIntermediateDirectories: true)
    }

    let unit = Unit(
      account: "acct_1Big", files: [(0, InputFile(path: path, format: .jsonLines, gzip: false, account: "acct_1Big"))])
    let result = PartitionedUnit(worker: worker).process(unit)
    guard case .partition(.cannotWrite(let failed, _)) = result.failure else {
      Issue.record("expected a spill write failure, got \(String(describing: result.failure))")
      return
    }
    #expect(failed.hasPrefix(spill + "/p"))
    #expect(result.rejected == 0, "the last line was decoded after the spill had failed")
  }
}
