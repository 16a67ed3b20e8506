import Foundation
import Testing

@testable import TreasuryArchive
@_spi(Inlining) @testable import TreasuryModel
@testable import TreasuryOutput
@testable import TreasuryRender

/// `verify` against archives and folders built to exhaust memory: a cell or a manifest of many megabytes
/// inside a small gzip file, a million bad rows. Each must end with exit 2, a finding that names the file
/// (and line), and a small peak memory (issue 11, item 9).
@Suite struct VerifyResourceAttackTests {
  /// Peak memory any of these runs may reach; `verify` of a small archive needs about 35 MiB.
  static let memoryBound = 100

  /// One archive member: `prefix`, then `unit` repeated `repeats` times, streamed.
  struct Member {
    var path: String
    var prefix: [UInt8] = []
    var unit: [UInt8] = Array("a".utf8)
    var repeats = 0
  }

  /// A `.tar.gz` laid out as this tool writes one (canonical tar headers, one gzip member, mtime 0, OS 255).
  /// A long run of one pattern inflates about 1000:1, so megabytes of content cost kilobytes on disk.
  static func writeArchive(_ path: String, _ members: [Member]) throws {
    let memory = MemoryTarget()
    let gzip = try GzipTarget(into: memory, level: 9)
    let tar = TarWriter(into: gzip)
    for member in members {
      try tar.begin(path: member.path, size: member.prefix.count + member.unit.count * member.repeats)
      try member.prefix.withUnsafeBytes { try tar.write($0) }
      let perChunk = max(1, (1 << 20) / max(1, member.unit.count))
      let chunk = Array([[UInt8]](repeating: member.unit, count: min(perChunk, member.repeats)).joined())
      var left = member.repeats
      while left > 0 {
        let n = min(left, perChunk)
        try chunk.withUnsafeBytes { try tar.write(UnsafeRawBufferPointer(rebasing: $0[0..<(n * member.unit.count)])) }
        left -= n
      }
      try tar.end()
    }
    try tar.finish()
    try gzip.finish()
    try Data(memory.bytes).write(to: URL(fileURLWithPath: path))
  }

  static func size(_ path: String) -> Int {
    (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? -1
  }

  static let summaryHeader = Array((SummaryCSV.header.joined(separator: ",") + "\r\n").utf8)

  /// One cell of 64 MiB (159 MiB of memory before), or 900,000 empty cells (16 bytes apiece as strings), in an
  /// archive of kilobytes.
  @Test(arguments: [
    ("a", 64 << 20, "line 2 (record 2) is longer than 16 MiB"),
    (",", 900_000, "line 2 (record 2) has more than 1024 cells"),
  ])
  func aHugeCSVRecordInASmallArchiveIsRefusedInBoundedMemory(unit: String, repeats: Int, finding: String) throws {
    let folder = TestSupport.TemporaryFolder()
    let archive = folder.file("2026-03.tar.gz")
    try Self.writeArchive(
      archive,
      [Member(path: "2026-03/summary.csv", prefix: Self.summaryHeader, unit: Array(unit.utf8), repeats: repeats)])
    #expect(Self.size(archive) < 1 << 20)
    let run = try BoundedRun.run("treasury-report", ["verify", archive])
    #expect(run.status == 2, "\(run.stderr)")
    #expect(run.stderr.contains("\(archive)(2026-03/summary.csv): error: \(finding)"), "\(run.stderr)")
    #expect(run.peakMiB < Self.memoryBound, "peak \(run.peakMiB) MiB")
  }

  @Test func aLongLineInAFolderFileIsNamedWithItsLine() throws {
    let folder = TestSupport.TemporaryFolder()
    let out = folder.file("out")
    let statements = try TestSupport.run("treasury-report", ["statements", TestSupport.samples, "--out", out])
    #expect(statements.status == 0, "\(statements.stderr)")
    let summary = out + "/summary.csv"
    var bytes = try #require(FileManager.default.contents(atPath: summary))
    let line = bytes.filter { $0 == 0x0A }.count + 1
    bytes += Data(repeating: UInt8(ascii: "x"), count: 17 << 20) + Data("\r\n".utf8)
    try bytes.write(to: URL(fileURLWithPath: summary))
    let run = try BoundedRun.run("treasury-report", ["verify", out])
    #expect(run.status == 2)
    #expect(
      run.stderr.contains("\(summary): error: line \(line) (record \(line)) is longer than 16 MiB"), "\(run.stderr)")
  }

  @Test func halfAMillionBadRowsAreCountedButNotEachListed() throws {
    let folder = TestSupport.TemporaryFolder()
    let archive = folder.file("2026-03.tar.gz")
    try Self.writeArchive(
      archive,
      [Member(path: "2026-03/summary.csv", prefix: Self.summaryHeader, unit: Array("a\n".utf8), repeats: 500_000)])
    let run = try BoundedRun.run("treasury-report", ["verify", archive])
    #expect(run.status == 2)
    let lines = run.stderr.split(separator: "\n")
    // The first 1,000 findings are listed, then the summary line.
    #expect(lines.count <= 1001, "\(lines.count) lines")
    // Every row is still counted: 500,000 short rows and the missing manifest.
    #expect(run.stderr.contains("500001 problems found in \(archive)"), "\(run.stderr.suffix(500))")
    #expect(run.stderr.contains("the first 1000 are listed"), "\(run.stderr.suffix(500))")
    #expect(run.peakMiB < Self.memoryBound, "peak \(run.peakMiB) MiB")
  }

  /// A million empty members cost about 360 MB while an archive is checked but only 4.7 MB of gzip; past the
  /// limit (here lowered from a million) the rest is not read.
  @Test func membersPastTheLimitAreNotRead() throws {
    let folder = TestSupport.TemporaryFolder()
    let archive = folder.file("2026-03.tar.gz")
    try Self.writeArchive(archive, (0..<150).map { Member(path: "2026-03/x/\($0).txt") })
    var verifier = ArchiveVerifier(path: archive)
    verifier.maxMembers = 100
    let result = verifier.run()
    #expect(result.members.count == 100)
    #expect(
      result.report.findings.map(\.message).contains(
        "holds more than 100 members, the most verify reads in one archive; the rest was not read"),
      "\(result.report.findings)")
    #expect(result.sha256 == nil)
    #expect(result.report.exitCode == 2)
    #expect(ArchiveVerifier.memberLimit == 1_000_000)
  }

  @Test func anArchiveManifestOverItsLimitIsRefusedUnread() throws {
    let folder = TestSupport.TemporaryFolder()
    let archive = folder.file("2026-03.tar.gz")
    try Self.writeArchive(
      archive,
      [Member(path: "2026-03/manifest.json", unit: Array(" ".utf8), repeats: ArchiveVerifier.manifestLimit + 1)])
    let run = try BoundedRun.run("treasury-report", ["verify", archive])
    #expect(run.status == 2)
    #expect(
      run.stderr.contains(
        "\(archive)(2026-03/manifest.json): error: is \(ArchiveVerifier.manifestLimit + 1) bytes, more than the 64 MiB"),
      "\(run.stderr)")
    #expect(run.peakMiB < Self.memoryBound, "peak \(run.peakMiB) MiB")
  }

  @Test func aSparseFolderManifestOverItsLimitIsRefusedUnread() throws {
    let folder = TestSupport.TemporaryFolder()
    let out = folder.file("out")
    try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
    let manifest = out + "/manifest.json"
    // 300 MiB of zeros that take no disk.
    #expect(FileManager.default.createFile(atPath: manifest, contents: nil))
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: manifest))
    try handle.truncate(atOffset: 300 << 20)
    try handle.close()
    let run = try BoundedRun.run("treasury-report", ["verify", out])
    #expect(run.status == 2)
    #expect(
      run.stderr.contains("\(manifest): error: is \(300 << 20) bytes, more than the 256 MiB"), "\(run.stderr)")
    #expect(run.peakMiB < Self.memoryBound, "peak \(run.peakMiB) MiB")
  }

  /// A guard rather than a fix: zlib skips a gzip header's name field without storing it, so a name of
  /// 16 MiB costs no memory; the changed header is still reported.
  @Test func aGzipHeaderWithAHugeNameStaysSmall() throws {
    let folder = TestSupport.TemporaryFolder()
    let out = folder.file("out")
    let statements = try TestSupport.run(
      "treasury-report", ["statements", TestSupport.samples, "--out", out, "--archive"])
    #expect(statements.status == 0, "\(statements.stderr)")
    let original = try #require(FileManager.default.contents(atPath: out + "/archive/2026-03.tar.gz"))
    var bytes = Data(original.prefix(10))
    bytes[3] = 8  // FNAME
    bytes += Data(repeating: UInt8(ascii: "n"), count: 16 << 20) + Data([0]) + original.dropFirst(10)
    let archive = folder.file("2026-03.tar.gz")
    try bytes.write(to: URL(fileURLWithPath: archive))
    let run = try BoundedRun.run("treasury-report", ["verify", archive])
    #expect(run.status == 2)
    #expect(run.stderr.contains("is not the one treasury-report writes (flags 8)"), "\(run.stderr)")
    #expect(run.peakMiB < Self.memoryBound, "peak \(run.peakMiB) MiB")
  }
}
