import Foundation
import Testing

@testable import TreasuryArchive
@_spi(Inlining) @testable import TreasuryModel

/// The tar writer, read back by GNU tar and Python's `tarfile` (independent implementations).
@Suite struct TarWriterTests {
  static let longPath =
    "2026-01-15--2026-02-15/" + String(repeating: "fa_1VeryLongFinancialAccount", count: 3) + "/x.csv"
  static let veryLongPath = String(repeating: "folder-with-a-long-name/", count: 12) + "transactions.csv"

  static let members: [(String, [UInt8])] = [
    ("2026-03/fa_1/transactions.csv", Array("a,b\r\n1,2\r\n".utf8)),
    ("2026-03/empty.csv", []),
    ("2026-03/block.bin", [UInt8](repeating: 7, count: 512)),
    (longPath, Array(String(repeating: "long path\n", count: 100).utf8)),
    (veryLongPath, Array("pax path\n".utf8)),
    ("2026-03/Café/données.csv", Array("non-ASCII path\n".utf8)),
  ]

  static func archive(_ members: [(String, [UInt8])] = members) throws -> [UInt8] {
    let memory = MemoryTarget()
    let tar = TarWriter(into: memory)
    for (path, bytes) in members { try tar.add(path: path, bytes) }
    try tar.finish()
    return memory.bytes
  }

  @Test func layoutIsUstarWithFixedOwnerModeAndTime() throws {
    let bytes = try Self.archive([("p/a.csv", Array("hello\n".utf8))])
    #expect(bytes.count == TarWriter.recordSize)
    let header = Array(bytes[0..<512])
    let text = { (range: Range<Int>) in String(decoding: header[range], as: UTF8.self) }
    #expect(text(0..<7) == "p/a.csv")
    #expect(text(100..<108) == "0000644\0")
    #expect(text(108..<116) == "0000000\0")
    #expect(text(116..<124) == "0000000\0")
    #expect(text(124..<136) == "00000000006\0")
    #expect(text(136..<148) == "00000000000\0")
    #expect(header[156] == UInt8(ascii: "0"))
    #expect(text(257..<265) == "ustar\u{0}00")
    #expect(header[265..<297].allSatisfy { $0 == 0 } && header[297..<329].allSatisfy { $0 == 0 })
    let sum = header.enumerated().reduce(0) { $0 + ((148..<156).contains($1.offset) ? 32 : Int($1.element)) }
    #expect(text(148..<156) == String(format: "%06o", sum) + "\0 ")
    #expect(String(decoding: bytes[512..<518], as: UTF8.self) == "hello\n")
    #expect(bytes[518...].allSatisfy { $0 == 0 })
  }

  @Test func sameMembersGiveTheSameBytes() throws {
    let once = try Self.archive()
    #expect(once == (try Self.archive()))
    #expect(once.count % TarWriter.recordSize == 0)
  }

  @Test(.enabled(if: ExternalTool.available(ExternalTool.tar), "needs GNU tar"))
  func gnuTarAndPythonReadEveryMemberBack() throws {
    let folder = TestSupport.TemporaryFolder()
    let path = folder.file("t.tar")
    try Data(try Self.archive()).write(to: URL(fileURLWithPath: path))

    let listing = try TestSupport.run("/usr/bin/tar", ["-tvf", path])
    #expect(listing.status == 0, "\(listing.stderr)")
    #expect(listing.stderr.isEmpty, "\(listing.stderr)")
    let names = try TestSupport.run("/usr/bin/tar", ["-tf", path]).stdout.split(separator: "\n").map(String.init)
    #expect(names == Self.members.map(\.0))
    #expect(listing.stdout.split(separator: "\n").allSatisfy { $0.hasPrefix("-rw-r--r-- 0/0 ") })

    let out = folder.file("x")
    try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
    let extract = try TestSupport.run("/usr/bin/tar", ["-xf", path, "-C", out])
    #expect(extract.status == 0, "\(extract.stderr)")
    for (name, bytes) in Self.members {
      #expect(FileManager.default.contents(atPath: out + "/" + name) == Data(bytes), "\(name)")
    }

    let script = """
      import sys, tarfile, json
      with tarfile.open(sys.argv[1]) as t:
          print(json.dumps([[m.name, m.size, m.mode, m.uid, m.gid, m.mtime, m.uname, m.gname, \
      t.extractfile(m).read().hex()] for m in t.getmembers()]))
      """
    let python = try TestSupport.run("/usr/bin/env", ["python3", "-c", script, path])
    #expect(python.status == 0, "\(python.stderr)")
    let rows = try #require(try JSONSerialization.jsonObject(with: Data(python.stdout.utf8)) as? [[Any]])
    #expect(rows.count == Self.members.count)
    for (row, (name, bytes)) in zip(rows, Self.members) {
      #expect(row[0] as? String == name)
      #expect(row[1] as? Int == bytes.count)
      #expect(row[2] as? Int == 0o644 && row[3] as? Int == 0 && row[4] as? Int == 0 && row[5] as? Int == 0)
      #expect(row[6] as? String == "" && row[7] as? String == "")
      #expect(row[8] as? String == Hex.string(bytes))
    }
  }

  @Test func pathsThatDoNotFitUstarGetAPaxHeader() throws {
    let bytes = try Self.archive([(Self.veryLongPath, [1])])
    #expect(bytes[156] == UInt8(ascii: "x"))
    #expect(String(decoding: bytes[0..<14], as: UTF8.self) == "././@PaxHeader")
    let record = String(decoding: bytes[512..<(512 + 20)], as: UTF8.self)
    #expect(record.hasPrefix("\(Self.veryLongPath.utf8.count + 10) path="))
    // A path of up to 255 bytes fits ustar's prefix and name fields: no pax header.
    let split = try Self.archive([(Self.longPath, [1])])
    #expect(split[156] == UInt8(ascii: "0"))
  }

  @Test func paxRecordLengthsCountTheirOwnDigits() {
    for length in [1, 2, 80, 89, 90, 91, 985, 986, 995, 996, 997, 9990] {
      let value = String(repeating: "a", count: length)
      let record = String(decoding: TarWriter.paxRecords([("path", value)]), as: UTF8.self)
      let declared = Int(record.prefix { $0 != " " }) ?? -1
      #expect(declared == record.utf8.count, "\(length)")
    }
  }

  @Test func aMemberMustReceiveExactlyItsDeclaredSize() throws {
    let tar = TarWriter(into: MemoryTarget())
    try tar.begin(path: "a", size: 3)
    try [UInt8]([1, 2]).withUnsafeBytes { try tar.write($0) }
    #expect(throws: TarError.sizeMismatch(member: "a", declared: 3, written: 2)) { try tar.end() }
    #expect(throws: TarError.sizeMismatch(member: "a", declared: 3, written: 4)) {
      try [UInt8]([1, 2]).withUnsafeBytes { try tar.write($0) }
    }
  }
}
