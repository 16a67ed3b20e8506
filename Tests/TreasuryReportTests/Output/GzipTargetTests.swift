import Foundation
import Synchronization
import Testing

@_spi(Inlining) @testable import TreasuryModel
@testable import TreasuryOutput
@testable import TreasuryZlib

@Suite struct GzipTargetTests {
  private func gzip(_ text: [UInt8], level: Int32 = 6, pieces: Int = 1) throws -> [UInt8] {
    let memory = MemoryTarget()
    let gz = try GzipTarget(into: memory, level: level)
    let size = max(1, text.count / pieces)
    var offset = 0
    while offset < text.count {
      let end = min(text.count, offset + size)
      try text[offset..<end].withUnsafeBytes { try gz.write($0) }
      offset = end
    }
    try gz.finish()
    return memory.bytes
  }

  @Test func writesReproducibleGzipThatGzipAccepts() throws {
    let text = Array((0..<20_000).map { "line \($0), amount \($0 * 7 % 1000)\n" }.joined().utf8)
    let once = try gzip(text)
    #expect(once == (try gzip(text, pieces: 37)))
    // Header: magic, deflate, no flags, mtime 0, OS 255 (unknown).
    #expect(Array(once.prefix(10)) == [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF])
    let folder = TestSupport.TemporaryFolder()
    let path = folder.file("t.gz")
    try Data(once).write(to: URL(fileURLWithPath: path))
    #expect(try TestSupport.run("/bin/gzip", ["-t", path]).status == 0)
    let back = try TestSupport.run("/bin/gzip", ["-dc", path])
    #expect(Array(back.stdout.utf8) == text)
  }

  @Test func roundTripsThroughTheInflater() throws {
    for level: Int32 in [0, 1, 9] {
      let text = Array(String(repeating: "Café 🚀 ", count: 5000).utf8)
      let compressed = try gzip(text, level: level)
      let inflater = try Inflater()
      var out = [UInt8](repeating: 0, count: text.count + 16)
      let result = try compressed.withUnsafeBytes { input in
        try out.withUnsafeMutableBytes { try inflater.inflate(input: input, output: $0) }
      }
      #expect(result.memberEnded)
      #expect(Array(out.prefix(result.produced)) == text)
    }
  }

  @Test func emptyInputIsAValidGzipFile() throws {
    let empty = try gzip([])
    let folder = TestSupport.TemporaryFolder()
    try Data(empty).write(to: URL(fileURLWithPath: folder.file("e.gz")))
    #expect(try TestSupport.run("/bin/gzip", ["-t", folder.file("e.gz")]).status == 0)
  }

  /// Text that compresses about as statements do (repeated structure, varying numbers), `count` bytes.
  private static func statementLike(_ count: Int) -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(count + 100)
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    var line = 0
    while bytes.count < count {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      bytes += Array("txn_\(state >> 20),fa_\(line % 7),\(Int(state >> 48) - 30000),posted,Payment \(line)\n".utf8)
      line += 1
    }
    return Array(bytes.prefix(count))
  }

  /// Each member's header and decompressed size, and the whole decompressed content, as Python's zlib and gzip see
  /// them.
  private func pythonMembers(_ compressed: [UInt8]) throws -> (headers: [[UInt8]], sizes: [Int], content: [UInt8]) {
    let folder = TestSupport.TemporaryFolder()
    let path = folder.file("m.gz")
    try Data(compressed).write(to: URL(fileURLWithPath: path))
    let script = """
      import gzip, sys, zlib
      data = open(sys.argv[1], 'rb').read()
      pos = 0
      while pos < len(data):
          d = zlib.decompressobj(31)
          out = d.decompress(data[pos:])
          assert d.eof, 'member cut short at %d' % pos
          print(data[pos:pos + 10].hex(), len(out))
          pos = len(data) - len(d.unused_data)
      open(sys.argv[1] + '.out', 'wb').write(gzip.decompress(data))
      """
    let run = try TestSupport.run("/usr/bin/env", ["python3", "-c", script, path])
    #expect(run.status == 0, "\(run.stderr)")
    var headers: [[UInt8]] = []
    var sizes: [Int] = []
    for line in run.stdout.split(separator: "\n") {
      let parts = line.split(separator: " ")
      let hex = Array(parts[0])
      headers.append(stride(from: 0, to: hex.count, by: 2).map { UInt8(String(hex[$0...$0 + 1]), radix: 16)! })
      sizes.append(Int(parts[1])!)
    }
    let content = try #require(FileManager.default.contents(atPath: path + ".out"))
    return (headers, sizes, Array(content))
  }

  @Test func largeInputIsOneMemberPerMebibyteOfInput() throws {
    let block = GzipTarget.blockSize
    let text = Self.statementLike(2 * block + block / 2)
    for level: Int32 in [1, 6, 9] {
      let compressed = try gzip(text, level: level, pieces: 13)
      let (headers, sizes, content) = try pythonMembers(compressed)
      #expect(sizes == [block, block, block / 2], "level \(level)")
      // Every member's header is the canonical one, with zlib's extra flags for the level.
      let extra: UInt8 = level == 9 ? 2 : level == 1 ? 4 : 0
      #expect(headers.allSatisfy { $0 == [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, extra, 0xFF] }, "level \(level)")
      #expect(content == text, "level \(level)")
      let folder = TestSupport.TemporaryFolder()
      let path = folder.file("l.gz")
      try Data(compressed).write(to: URL(fileURLWithPath: path))
      #expect(try TestSupport.run("/bin/gzip", ["-t", path]).status == 0)
    }
    // Exactly one block of input is one member, with no empty member after it.
    let (_, sizes, _) = try pythonMembers(try gzip(Self.statementLike(block)))
    #expect(sizes == [block])
  }

  @Test func bytesDependOnlyOnInputAndLevelNotOnThreadsOrPieces() throws {
    let text = Self.statementLike(3 * GzipTarget.blockSize + 12345)
    let serial = try gzip(text)
    // Eight targets at once share the pool's threads and tickets: each still writes the same bytes.
    let results = Mutex<[Int: [UInt8]]>([:])
    let pieces = [1, 2, 3, 7, 64, 1000, 5, 11]
    DispatchQueue.concurrentPerform(iterations: pieces.count) { index in
      let bytes = try? gzip(text, pieces: pieces[index])
      results.withLock { $0[index] = bytes }
    }
    for index in pieces.indices {
      #expect(results.withLock { $0[index] } == serial, "written in \(pieces[index]) pieces")
    }
  }

  /// libdeflate's members hold exactly the bytes zlib's single stream held (what the earlier versions wrote).
  @Test func libdeflateMembersHoldWhatZlibsStreamHeld() throws {
    for count in [0, 1, 100, GzipTarget.blockSize - 1, GzipTarget.blockSize + 1] {
      let text = Self.statementLike(count)
      var zlib: [UInt8] = []
      let deflater = try Deflater(level: 6)
      try text.withUnsafeBytes { input in try deflater.deflate(input, finish: true) { zlib += $0 } }
      let old = try pythonMembers(zlib)
      let new = try pythonMembers(try gzip(text))
      #expect(old.content == text && new.content == old.content, "\(count) bytes")
      #expect(new.sizes.reduce(0, +) == count)
    }
  }
}
