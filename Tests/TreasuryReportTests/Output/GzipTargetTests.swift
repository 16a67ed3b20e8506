import Foundation
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
}
