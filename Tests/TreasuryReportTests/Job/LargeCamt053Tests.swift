import Foundation
import Testing

@testable import TreasuryValidate

/// A statement of more than 100,000 entries is written with bounded memory.
///
/// The document (about 100 MB) is streamed: writing it must cost far less
/// extra memory than its size. Peak RSS comes from `/usr/bin/time -f %M`.
@Suite(.serialized) struct LargeCamt053Tests {
  private struct Measured {
    var peakKB: Int
    var seconds: Double
  }

  private func measure(_ arguments: [String]) throws -> Measured {
    let binary = TestSupport.binaries.appendingPathComponent("treasury-report").path
    let run = try TestSupport.run("/usr/bin/time", ["-f", "%M %e", binary] + arguments)
    #expect(run.status == 0, "\(run.stderr)")
    let last = run.stderr.split(separator: "\n").last.map(String.init) ?? ""
    let parts = last.split(separator: " ")
    return Measured(peakKB: parts.first.flatMap { Int($0) } ?? -1, seconds: parts.last.flatMap { Double($0) } ?? -1)
  }

  @Test func aHundredThousandEntriesInBoundedMemory() throws {
    let folder = TestSupport.TemporaryFolder()
    let dump = folder.file("dump")
    try TestSupport.generate(
      into: dump, ["--accounts", "1", "--months", "1", "--transactions-per-month", "130000", "--seed", "5"])
    let common = ["statements", dump, "--no-progress", "--jobs", "1"]
    let csv = try measure(common + ["--out", folder.file("csv"), "--format", "csv"])
    let camt = try measure(common + ["--out", folder.file("camt"), "--format", "csv,camt053"])

    let documents = CamtSupport.documents(in: folder.file("camt"))
    let path = try #require(documents.first)
    #expect(documents.count == 1)
    let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    let report = try Camt053Validator.validate(path: path)
    #expect(report.problems == [])
    #expect(report.entries >= 100_000)
    // xmllint validates it too, streaming (a tree of 100 MB would not be a fair test of anything).
    let version = try #require(report.version)
    #expect(try CamtSupport.xmllintProblems(file: path, version: version, stream: true) == [])
    // The manifest records the document with its number of entries.
    let relative = String(path.dropFirst(folder.file("camt").count + 1))
    #expect(try CamtSupport.manifestRows(folder.file("camt"))[relative] == report.entries)
    print(
      "camt.053 of \(report.entries) entries, \(size / 1_000_000) MB: peak RSS \(camt.peakKB / 1024) MiB "
        + "(CSV alone \(csv.peakKB / 1024) MiB), \(camt.seconds) s (CSV alone \(csv.seconds) s)")
    #expect(csv.peakKB > 0 && camt.peakKB > 0)
    // Streaming: the document adds a few buffers, not its size.
    #expect(camt.peakKB - csv.peakKB < 32 * 1024)
    // Far larger than the memory bound above, so the bound means something.
    #expect(size > 48 * 1024 * 1024)
  }
}
