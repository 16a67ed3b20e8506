import Foundation
import Testing

@testable import TreasuryArchive
@testable import TreasuryInput
@testable import TreasuryJob

/// Bytes in memory as a `ByteSource`, handed out in pieces of `step` bytes.
final class MemorySource: ByteSource {
  let path = "memory"
  private let bytes: [UInt8]
  private let step: Int
  private var offset = 0

  init(_ bytes: [UInt8], step: Int = 1000) {
    self.bytes = bytes
    self.step = step
  }

  func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
    let n = min(step, buffer.count, bytes.count - offset)
    for i in 0..<n { buffer[i] = bytes[offset + i] }
    offset += n
    return n
  }
}

/// The strict tar reader: archives from this tool, GNU tar and Python, and every fault it must name.
@Suite struct TarReaderTests {
  /// Every member (path and content) of a tar stream, or the error that stopped the reading.
  static func read(_ bytes: [UInt8], step: Int = 1000) -> (members: [(String, [UInt8])], error: TarError?) {
    let reader = TarReader(source: MemorySource(bytes, step: step), bufferSize: 2048)
    var members: [(String, [UInt8])] = []
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 300, alignment: 1)
    defer { buffer.deallocate() }
    do throws(TarError) {
      while let member = try reader.next() {
        var data: [UInt8] = []
        while true {
          let n = try reader.read(into: buffer)
          if n == 0 { break }
          data += buffer[0..<n]
        }
        if member.isFile { members.append((member.path, data)) }
      }
      try reader.finish()
    } catch {
      return (members, error)
    }
    return (members, nil)
  }

  @Test(arguments: [1, 511, 512, 4096])
  func readsWhatTheWriterWrites(step: Int) throws {
    let (members, error) = Self.read(try TarWriterTests.archive(), step: step)
    #expect(error == nil)
    #expect(members.map(\.0) == TarWriterTests.members.map(\.0))
    #expect(members.map(\.1) == TarWriterTests.members.map(\.1))
  }

  @Test(.enabled(if: ExternalTool.available(ExternalTool.tar), "needs GNU tar"), arguments: ["gnu", "pax", "python"])
  func readsArchivesOtherToolsWrite(tool: String) throws {
    let folder = TestSupport.TemporaryFolder()
    for (name, bytes) in TarWriterTests.members {
      let path = folder.file("src/" + name)
      try FileManager.default.createDirectory(
        atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
      try Data(bytes).write(to: URL(fileURLWithPath: path))
    }
    let archive = folder.file("t.tar")
    let run =
      tool == "python"
      ? try TestSupport.run(
        "/usr/bin/env",
        ["python3", "-c", "import sys, tarfile\nwith tarfile.open(sys.argv[1], 'w') as t: t.add('.')", archive],
        cwd: folder.file("src"))
      : try TestSupport.run("/usr/bin/tar", ["--format=\(tool)", "-cf", archive, "-C", folder.file("src"), "."])
    #expect(run.status == 0, "\(run.stderr)")
    let bytes = try #require(FileManager.default.contents(atPath: archive))
    let (members, error) = Self.read(Array(bytes))
    #expect(error == nil)
    let read = Dictionary(uniqueKeysWithValues: members.map { (String($0.0.dropFirst(2)), $0.1) })
    #expect(read.count == TarWriterTests.members.count)
    for (name, bytes) in TarWriterTests.members { #expect(read[name] == bytes, "\(name)") }
  }

  @Test func namesTheMemberOfEachFault() throws {
    let good = try TarWriterTests.archive()
    let first = TarWriterTests.members[0].0

    var checksum = good
    checksum[1024 + 101] ^= 1  // the mode field of the second header
    #expect(Self.read(checksum).error == .badChecksum(offset: 1024, after: first, name: "2026-03/empty.csv"))

    #expect(Self.read(Array(good[0..<520])).error == .truncatedData(member: first, expected: 10, found: 8))

    var padding = good
    padding[512 + 20] = 1
    #expect(Self.read(padding).error == .nonzeroPadding(member: first))

    let ended = try TarWriterTests.archive([(first, [1])])
    #expect(Self.read(Array(ended[0..<1024])).error == .missingEndMarker(after: first))
    #expect(Self.read(Array(ended[0..<1536])).error == .missingEndMarker(after: first))
    var trailing = ended
    trailing[trailing.count - 1] = 9
    #expect(Self.read(trailing).error == .trailingData(offset: ended.count - 1))
  }
}
