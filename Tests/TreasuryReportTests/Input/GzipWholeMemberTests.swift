import Foundation
import Testing

@testable import TreasuryArchive
@testable import TreasuryInput
@testable import TreasuryOutput
@testable import TreasuryZlib

/// Both gzip readers (`verify`'s strict one and the dumps' one) decode a whole member with libdeflate where they
/// can, and fall back to zlib for the rest: the bytes must be the same either way, and every fault must be reported
/// as zlib alone reported it.
@Suite struct GzipWholeMemberTests {
  /// Deterministic text, compressible like the tool's CSV.
  private static func text(_ count: Int, seed: Int = 1) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(count + 64)
    var n = seed
    while out.count < count {
      n = (n &* 1_103_515_245 &+ 12345) & 0x7FFF_FFFF
      out += Array("txn_\(n % 100_000),2026-01-\(n % 28 + 1),\(n % 977_123),EUR\n".utf8)
    }
    return Array(out.prefix(count))
  }

  /// One member as the tool writes it (libdeflate, level 6).
  private static func member(_ data: [UInt8]) throws -> [UInt8] {
    let bound = try GzipMemberEncoder.bound(data.count, level: 6)
    var out = [UInt8](repeating: 0, count: bound)
    let size = try data.withUnsafeBytes { input in
      try out.withUnsafeMutableBytes { try GzipMemberEncoder.encode(input, level: 6, into: $0) }
    }
    return Array(out.prefix(size))
  }

  private struct Read {
    var data: [UInt8] = []
    var failure: String?
    var wholeMembers = 0
    var headerFindings: [String] = []
  }

  private static func read(_ bytes: [UInt8], strict: Bool, bufferSize: Int = 64 * 1024) throws -> Read {
    let folder = TestSupport.TemporaryFolder()
    let path = folder.file("in.gz")
    _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
    return try read(path: path, strict: strict, bufferSize: bufferSize)
  }

  private static func read(path: String, strict: Bool, bufferSize: Int = 64 * 1024) throws -> Read {
    let file = try FileByteSource(path: path)
    let strictSource = strict ? try StrictGzipSource(file: file) : nil
    let plainSource = strict ? nil : try GzipByteSource(file: file)
    let source: ByteSource = strictSource ?? plainSource!
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bufferSize, alignment: 8)
    defer { buffer.deallocate() }
    var read = Read()
    do {
      while true {
        let n = try source.read(into: buffer)
        if n == 0 { break }
        read.data += UnsafeRawBufferPointer(rebasing: buffer[0..<n])
      }
    } catch {
      guard case .corruptGzip(_, _, let reason) = error else { throw error }
      read.failure = reason
    }
    read.wholeMembers = strictSource?.wholeMembers ?? plainSource!.wholeMembers
    read.headerFindings = strictSource?.headerFindings.map(\.detail) ?? []
    return read
  }

  /// What zlib alone says of `bytes`, fed whole: the message every path must report.
  private static func zlibFailure(_ bytes: [UInt8]) throws -> String? {
    let inflater = try Inflater()
    let output = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 8)
    defer { output.deallocate() }
    return bytes.withUnsafeBytes { all -> String? in
      var at = 0
      do throws(ZlibError) {
        while at < all.count {
          let result = try inflater.inflate(input: UnsafeRawBufferPointer(rebasing: all[at...]), output: output)
          at += result.consumed
          if result.consumed == 0 && result.produced == 0 && !result.memberEnded { return "no progress" }
        }
        try inflater.checkEnd()
        return nil
      } catch {
        return error.message
      }
    }
  }

  /// The fast path is sized for the members the tool writes: a larger writer block would send every member to zlib.
  @Test func takesMembersAsLargeAsTheWriterMakes() {
    #expect(WholeGzipMembers.dataLimit == GzipTarget.blockSize)
  }

  @Test(arguments: [true, false])
  func decodesTheToolsOwnMembersWholeIncludingEmptyOnes(strict: Bool) throws {
    let blocks = [Self.text(1 << 20, seed: 1), [], Self.text(1 << 20, seed: 2), Self.text(100, seed: 3)]
    let file = try blocks.flatMap { try Self.member($0) }
    let read = try Self.read(file, strict: strict)
    #expect(read.failure == nil)
    #expect(read.data == blocks.flatMap { $0 })
    #expect(read.wholeMembers == 4)
    #expect(read.headerFindings.isEmpty)
    // A caller buffer smaller than a member gets the member in pieces.
    let small = try Self.read(file, strict: strict, bufferSize: 7)
    #expect(small.data == read.data && small.wholeMembers == 4)
  }

  enum Fault: CaseIterable {
    case crc, length, data
  }

  /// A damaged member between good ones: the first is decoded whole, the damaged one goes to zlib, which delivers
  /// what decoded before the fault and names it as before.
  @Test(arguments: Fault.allCases, [true, false])
  func faultInAMiddleMemberIsReportedAsZlibReportsIt(fault: Fault, strict: Bool) throws {
    let blocks = (1...3).map { Self.text(300_000, seed: $0) }
    let members = try blocks.map { try Self.member($0) }
    var second = members[1]
    switch fault {
    case .crc: second[second.count - 8] ^= 0x01
    case .length: second[second.count - 4] ^= 0x01
    case .data: second[second.count / 2] ^= 0x55
    }
    let file = members[0] + second + members[2]
    let expected = try #require(try Self.zlibFailure(file))
    if fault == .crc { #expect(expected == "corrupt gzip data (incorrect data check)") }
    if fault == .length { #expect(expected == "corrupt gzip data (incorrect length check)") }
    let read = try Self.read(file, strict: strict)
    #expect(read.failure == expected)
    #expect(read.wholeMembers == 1)
    #expect(read.data.count >= blocks[0].count && read.data.count <= blocks[0].count + blocks[1].count)
    // A flipped data bit can decode to wrong bytes before zlib notices (as it always did); the first member is intact.
    let intact = fault == .data ? blocks[0].count : read.data.count
    let deliveredAsWritten = read.data.prefix(intact).elementsEqual((blocks[0] + blocks[1]).prefix(intact))
    #expect(deliveredAsWritten)
  }

  /// A damaged trailer on the last member still fails only after all its data was delivered.
  @Test func damagedLastTrailerFailsAfterEveryByte() throws {
    let strict = true
    let blocks = (1...2).map { Self.text(200_000, seed: $0) }
    var file = try blocks.flatMap { try Self.member($0) }
    file[file.count - 1] ^= 0x01
    let read = try Self.read(file, strict: strict)
    #expect(read.failure == "corrupt gzip data (incorrect length check)")
    #expect(read.data == blocks[0] + blocks[1])
    #expect(read.wholeMembers == 1)
  }

  @Test(arguments: [true, false])
  func truncatedLastMemberIsCutShort(strict: Bool) throws {
    let blocks = (1...3).map { Self.text(1 << 20, seed: $0) }
    let file = try blocks.flatMap { try Self.member($0) }
    let read = try Self.read(Array(file.dropLast(100)), strict: strict)
    #expect(read.failure == "unexpected end of file")
    #expect(read.wholeMembers == 2)
    #expect(read.data.count >= 2 << 20)
    let deliveredAsWritten = read.data.elementsEqual(blocks.flatMap { $0 }.prefix(read.data.count))
    #expect(deliveredAsWritten)
  }

  /// Members are taken only without header flags: libdeflate skips the header CRC (FHCRC) that zlib checks.
  @Test(arguments: [true, false])
  func headerCRCIsCheckedByZlib(strict: Bool) throws {
    let member = try Self.member(Self.text(1000))
    var flagged = Array(member[0..<10]) + [0, 0] + Array(member[10...])
    flagged[3] = 2
    let read = try Self.read(flagged, strict: strict)
    #expect(read.failure == "corrupt gzip data (header crc mismatch)")
    #expect(read.wholeMembers == 0)
    #expect(read.headerFindings == (strict ? ["flags 2"] : []))
  }

  /// A 5 MiB member from Python's gzip does not fit the fast path's buffers: zlib reads it, and the members after it.
  @Test(.enabled(if: ExternalTool.available(ExternalTool.python3)), arguments: [true, false])
  func largeForeignMemberIsReadByZlib(strict: Bool) throws {
    let folder = TestSupport.TemporaryFolder()
    let data = Self.text(5 << 20, seed: 9)
    let small = Self.text(5000, seed: 10)
    _ = FileManager.default.createFile(atPath: folder.file("data"), contents: Data(data + small))
    _ = try TestSupport.run(
      ExternalTool.python3,
      [
        "-c",
        "import gzip, sys; d = open(sys.argv[1], 'rb').read(); n = 5 << 20; "
          + "open(sys.argv[2], 'wb').write(gzip.compress(d[:n], mtime=0) + gzip.compress(d[n:], mtime=0))",
        folder.file("data"), folder.file("out.gz"),
      ])
    let read = try Self.read(path: folder.file("out.gz"), strict: strict)
    #expect(read.failure == nil)
    #expect(read.data == data + small)
    #expect(read.wholeMembers == 0)
  }

  /// Members from gzip and pigz, concatenated: small ones are decoded whole, and their headers (OS 3, a name) noted.
  @Test(.enabled(if: ExternalTool.available(ExternalTool.gzip, ExternalTool.pigz)), arguments: [true, false])
  func concatenatedMembersFromGzipAndPigz(strict: Bool) throws {
    let folder = TestSupport.TemporaryFolder()
    let first = Self.text(400_000, seed: 4)
    let second = Self.text(300_000, seed: 5)
    _ = FileManager.default.createFile(atPath: folder.file("a"), contents: Data(first))
    _ = FileManager.default.createFile(atPath: folder.file("b"), contents: Data(second))
    let run = try TestSupport.run(
      "/bin/sh",
      ["-c", "\(ExternalTool.gzip) -n -c < a > out.gz && \(ExternalTool.pigz) -n -c < b >> out.gz"],
      cwd: folder.path)
    #expect(run.status == 0)
    let read = try Self.read(path: folder.file("out.gz"), strict: strict)
    #expect(read.failure == nil)
    #expect(read.data == first + second)
    #expect(read.wholeMembers == 2)
    #expect(read.headerFindings == (strict ? ["OS 3", "OS 3"] : []))
  }
}
