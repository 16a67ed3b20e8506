import Foundation
import Testing

@testable import TreasuryArchive
@testable import TreasuryInput
@testable import TreasuryLedger
@testable import TreasuryZlib

/// Gzip input through `Inflater`: members, where input may end, and buffers larger than zlib's 32-bit counters.
@Suite struct GzipInputTests {
  private static func gzip(_ text: String) throws -> [UInt8] {
    var out: [UInt8] = []
    let deflater = try Deflater(level: 6)
    try Array(text.utf8).withUnsafeBytes { bytes in
      try deflater.deflate(bytes, finish: true) { out += $0 }
    }
    return out
  }

  private static func read(_ bytes: [UInt8], strict: Bool = false) throws -> String {
    let folder = TestSupport.TemporaryFolder()
    let path = folder.file("in.gz")
    _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
    let file = try FileByteSource(path: path)
    let source: ByteSource = strict ? try StrictGzipSource(file: file) : try GzipByteSource(file: file)
    var text: [UInt8] = []
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 7, alignment: 8)
    defer { buffer.deallocate() }
    while true {
      let n = try source.read(into: buffer)
      if n == 0 { break }
      text += UnsafeRawBufferPointer(rebasing: buffer[0..<n])
    }
    return String(decoding: text, as: UTF8.self)
  }

  private static func failure(_ bytes: [UInt8], strict: Bool) -> String? {
    do {
      _ = try read(bytes, strict: strict)
      return nil
    } catch let error as InputError {
      guard case .corruptGzip(_, _, let reason) = error else { return "\(error)" }
      return reason
    } catch {
      return "\(error)"
    }
  }

  @Test(arguments: [false, true])
  func readsMembersAndRejectsWhatCannotEndThere(strict: Bool) throws {
    let one = try Self.gzip("first line\n")
    let two = try Self.gzip("second line\n")
    #expect(try Self.read(one + two, strict: strict) == "first line\nsecond line\n")
    #expect(Self.failure([], strict: strict) == "the file is empty")
    #expect(Self.failure(Array(one.dropLast(3)), strict: strict) == "unexpected end of file")
    #expect(Self.failure(one + [0x1F], strict: strict) == "unexpected end of file")
    #expect(Self.failure(one + Array("garbage!!".utf8), strict: strict)?.contains("incorrect header check") == true)
  }

  /// zlib's counters are 32-bit: a buffer over 4 GiB is offered 4 GiB at a time, never truncated to a wrong count.
  @Test func acceptsAnInputBufferOverFourGiB() throws {
    let member = try Self.gzip("hello\n")
    // Pages past the member are never touched, so this costs address space, not memory.
    let count = (1 << 32) + 4096
    let input = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 4096)
    defer { input.deallocate() }
    member.withUnsafeBytes { input.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
    let output = UnsafeMutableRawBufferPointer.allocate(byteCount: 64, alignment: 8)
    defer { output.deallocate() }
    let inflater = try Inflater()
    let result = try inflater.inflate(input: UnsafeRawBufferPointer(input), output: output)
    #expect(result.memberEnded)
    #expect(result.consumed == member.count)
    #expect(Array(UnsafeRawBufferPointer(rebasing: output[0..<result.produced])) == Array("hello\n".utf8))
  }

  /// The same for compression: more than 4 GiB in one call is compressed whole (stored, to keep the test quick).
  @Test func compressesAnInputBufferOverFourGiB() throws {
    let count = (1 << 32) + 3
    // Zero pages that are only read map to one shared page: address space, not memory.
    let input = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 4096)
    defer { input.deallocate() }
    input.baseAddress!.storeBytes(of: 7, toByteOffset: count - 1, as: UInt8.self)
    var compressed = 0
    var tail: [UInt8] = []
    let deflater = try Deflater(level: 0)
    try deflater.deflate(UnsafeRawBufferPointer(input), finish: true) { piece in
      compressed += piece.count
      tail = Array((tail + piece).suffix(8))
    }
    // The gzip trailer's ISIZE is the input length modulo 2^32: 3 here, not 0 or 2^32 - 1.
    let size = tail[4..<8].enumerated().reduce(0) { $0 | Int($1.element) << ($1.offset * 8) }
    #expect(size == count & 0xFFFF_FFFF)
    #expect(compressed > count)
  }

  /// Cut-short gzip input names the last line that decoded whole, as zlib (read here through Python) delivers it.
  @Test func truncatedGzipNamesTheLastLineRead() throws {
    let folder = TestSupport.TemporaryFolder()
    let text = (0..<300).map { "{\"id\":\"trxn_\($0)\",\"n\":\(($0 * 7919) % 104729)}\n" }.joined()
    let whole = try Self.gzip(text)
    let path = folder.file("acct_1Test/t.jsonl.gz")
    try FileManager.default.createDirectory(atPath: folder.file("acct_1Test"), withIntermediateDirectories: true)
    _ = FileManager.default.createFile(atPath: path, contents: Data(whole.prefix(whole.count * 2 / 3)))
    let decoded = try TestSupport.run(
      "/usr/bin/python3",
      [
        "-c",
        "import sys, zlib; sys.stdout.write(str(zlib.decompressobj(31).decompress(open(sys.argv[1], 'rb').read()).count(b'\\n')))",
        path,
      ])
    let expected = try #require(Int(decoded.stdout))
    #expect(expected > 0 && expected < 300)
    var store = LedgerStore()
    var invalid: [InvalidLine] = []
    var reader = DumpFileReader()
    #expect(throws: InputError.corruptGzip(path: path, line: expected, reason: "unexpected end of file")) {
      _ = try reader.read(
        InputFile(path: path, format: .jsonLines, gzip: true, account: "acct_1Test"), index: 0, into: &store,
        invalid: &invalid)
    }
  }
}
