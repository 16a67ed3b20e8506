import Foundation
import Testing

@testable import TreasuryArchive
@testable import TreasuryJob

/// The tar reader against headers built to make it hold more and more: extended headers piled before one
/// member, member names far longer than any path (issue 11, item 9).
@Suite struct TarReaderAttackTests {
  /// A pax header block (`x`, or `g` for global) with its records, padded to whole blocks.
  static func pax(_ records: [(String, String)], type: UInt8 = TarHeader.TypeFlag.paxExtended) -> [UInt8] {
    var data: [UInt8] = []
    for (key, value) in records {
      let body = " \(key)=\(value)\n".utf8.count
      var length = body + 1
      while String(length).utf8.count + body != length { length = String(length).utf8.count + body }
      data += Array("\(length) \(key)=\(value)\n".utf8)
    }
    return block(name: "././@PaxHeader", type: type, data: data)
  }

  static func block(name: String, type: UInt8, data: [UInt8]) -> [UInt8] {
    let header = TarHeader.build(name: Array(name.utf8), prefix: [], size: data.count, mtime: 0, typeflag: type)
    let padding = (TarHeader.blockSize - data.count % TarHeader.blockSize) % TarHeader.blockSize
    return header + data + [UInt8](repeating: 0, count: padding)
  }

  /// `prefix` then one empty member and the end of the archive.
  static func archive(_ prefix: [UInt8]) -> [UInt8] {
    prefix + TarWriter.header(path: "2026-03/a.csv", size: 0) + [UInt8](repeating: 0, count: 2 * TarHeader.blockSize)
  }

  /// The members' paths, or the error that stopped the reading, with the buffer `verify` uses.
  static func read(_ bytes: [UInt8]) -> (members: [String], error: TarError?) {
    let reader = TarReader(source: MemorySource(bytes, step: 1 << 16))
    var members: [String] = []
    do throws(TarError) {
      while let member = try reader.next() { members.append(member.path) }
      try reader.finish()
    } catch {
      return (members, error)
    }
    return (members, nil)
  }

  @Test func extendedHeadersPiledBeforeOneMemberAreRefused() {
    // Each header alone is small; 40 of them hold 160 KB that the reader would keep for one member.
    var piled: [UInt8] = []
    for i in 0..<40 {
      piled += Self.pax(
        [("comment", String(repeating: "c", count: 4000))], type: i % 2 == 0 ? UInt8(ascii: "x") : UInt8(ascii: "g"))
    }
    let (members, error) = Self.read(Self.archive(piled))
    #expect(members.isEmpty)
    #expect(
      error?.message.contains("more than 64 KiB of extended headers before one member") == true,
      "\(String(describing: error))")
    // Up to the limit they are read.
    let few = (0..<10).flatMap { _ in Self.pax([("comment", String(repeating: "c", count: 4000))]) }
    #expect(Self.read(Self.archive(few)).error == nil)
  }

  @Test(arguments: ["pax", "gnu"])
  func aMemberNameLongerThanAnyPathIsRefused(kind: String) {
    let long = "2026-03/" + String(repeating: "n", count: 5000)
    let header =
      kind == "pax"
      ? Self.pax([("path", long)])
      : Self.block(name: "././@LongLink", type: TarHeader.TypeFlag.gnuLongName, data: Array(long.utf8) + [0])
    let (members, error) = Self.read(Self.archive(header))
    #expect(members.isEmpty)
    #expect(
      error?.message.contains("a member name of 5008 bytes; names are at most 4096") == true,
      "\(String(describing: error))")
    // 4096 bytes is still a name.
    let longest = "2026-03/" + String(repeating: "n", count: 4088)
    let fits = Self.read(Self.archive(Self.pax([("path", longest)])))
    #expect(fits.error == nil)
    #expect(fits.members == [longest])
  }
}
