import Crypto
import Foundation
import Testing

@testable import TreasuryArchive
@testable import TreasuryInput
@testable import TreasuryJob
@_spi(Inlining) @testable import TreasuryModel
@testable import TreasuryOutput

#if canImport(Glibc)
  import Glibc
#endif

/// `verify` against folders and archives that point outside themselves: links and special files inside a
/// folder, manifest entries and tar member names that climb out (issue 11, items 10 and 11). Each must be
/// refused by name, exit 2, without opening what it points to.
@Suite struct VerifyPathAttackTests {
  /// An output folder of the samples in `folder/out`, with archives.
  private static func output(_ folder: TestSupport.TemporaryFolder) throws -> String {
    let out = folder.file("out")
    let run = try TestSupport.run("treasury-report", ["statements", TestSupport.samples, "--out", out, "--archive"])
    #expect(run.status == 0, "\(run.stderr)")
    return out
  }

  private static func verify(_ path: String) throws -> BoundedRun.Result {
    // A run that follows a link to /dev/zero never ends by itself.
    let run = try BoundedRun.run("treasury-report", ["verify", path], timeout: 60)
    #expect(!run.timedOut, "verify \(path) was still running after 60 s")
    return run
  }

  private static let statementFolder = "2026-03/fa_1BlueHarborMain0002"
  private static let statementFile = statementFolder + "/transactions.csv"

  private static func sha256(_ data: Data) -> String { Hex.string(SHA256.hash(data: data)) }

  // MARK: Links and special files (item 10)

  /// Puts `kind` where `relative` is in `out`: a link to /dev/zero, a link to the original moved to `outside`,
  /// a FIFO or a folder.
  private static func replace(_ relative: String, in out: String, by kind: String, outside: String) throws {
    let path = out + "/" + relative
    if kind == "link outside" {
      try FileManager.default.moveItem(atPath: path, toPath: outside)
      try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: outside)
      return
    }
    try FileManager.default.removeItem(atPath: path)
    switch kind {
    case "link to /dev/zero": try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: "/dev/zero")
    case "FIFO": #expect(mkfifo(path, 0o644) == 0)
    default: try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    }
  }

  /// Before: /dev/zero and the FIFO hung, the links to identical copies verified, the folder was "cannot read".
  @Test(arguments: [
    (statementFile, "link to /dev/zero", "is a symbolic link;"),
    (statementFile, "link outside", "is a symbolic link;"),
    ("manifest.json", "link outside", "is a symbolic link;"),
    (statementFile, "FIFO", "is a FIFO, not a regular file;"),
    (statementFile, "folder", "is a folder, not a regular file;"),
  ])
  func aListedPathThatIsNotARegularFileIsRefusedUnopened(relative: String, kind: String, finding: String) throws {
    let folder = TestSupport.TemporaryFolder()
    let out = try Self.output(folder)
    try Self.replace(relative, in: out, by: kind, outside: folder.file("outside"))
    let run = try Self.verify(out)
    #expect(run.status == 2)
    #expect(run.stderr.contains("\(out)/\(relative): error: \(finding)"), "\(run.stderr)")
  }

  @Test func aStatementFolderThatLinksOutsideIsRefused() throws {
    let folder = TestSupport.TemporaryFolder()
    let out = try Self.output(folder)
    try Self.replace(Self.statementFolder, in: out, by: "link outside", outside: folder.file("outside"))
    let run = try Self.verify(out)
    #expect(run.status == 2)
    #expect(
      run.stderr.contains("\(out)/\(Self.statementFile): error: lies under \(Self.statementFolder), a symbolic link;"),
      "\(run.stderr)")
    #expect(
      run.stderr.contains(
        "\(out)/\(Self.statementFolder): error: is a symbolic link and is not listed in manifest.json"))
  }

  @Test func anUnlistedFIFOIsNamedAsOne() throws {
    let folder = TestSupport.TemporaryFolder()
    let out = try Self.output(folder)
    #expect(mkfifo(out + "/extra.csv", 0o644) == 0)
    let run = try Self.verify(out)
    #expect(run.status == 2)
    #expect(
      run.stderr.contains("\(out)/extra.csv: error: is a FIFO and is not listed in manifest.json"), "\(run.stderr)")
  }

  /// A link given on the command line is the user's own choice of name: it is followed (documented).
  @Test func aLinkGivenAsThePathIsFollowed() throws {
    let folder = TestSupport.TemporaryFolder()
    let out = try Self.output(folder)
    try FileManager.default.createSymbolicLink(atPath: folder.file("link"), withDestinationPath: out)
    try FileManager.default.createSymbolicLink(
      atPath: folder.file("2026-03.tar.gz"), withDestinationPath: out + "/archive/2026-03.tar.gz")
    for path in [folder.file("link"), folder.file("link/"), folder.file("2026-03.tar.gz")] {
      let run = try Self.verify(path)
      #expect(run.status == 0, "\(path): \(run.stderr)")
    }
  }

  @Test func aFIFOGivenAsThePathIsRefusedUnopened() throws {
    let folder = TestSupport.TemporaryFolder()
    let fifo = folder.file("2026-03.tar.gz")
    #expect(mkfifo(fifo, 0o644) == 0)
    let run = try Self.verify(fifo)
    #expect(run.status == 2)
    #expect(run.stderr.contains("\(fifo): error: is a FIFO, not an archive or an output folder"), "\(run.stderr)")
  }

  // MARK: Manifest entries that leave the folder (item 11)

  /// `out/manifest.json` with `entries` added to its outputs (and nothing else changed).
  private static func addOutputs(_ out: String, _ entries: [[String: Any]]) throws {
    let path = out + "/manifest.json"
    let bytes = try #require(FileManager.default.contents(atPath: path))
    var manifest = try #require(try JSONSerialization.jsonObject(with: bytes) as? [String: Any])
    manifest["outputs"] = (manifest["outputs"] as? [[String: Any]] ?? []) + entries
    try JSONSerialization.data(withJSONObject: manifest).write(to: URL(fileURLWithPath: path))
  }

  @Test func aManifestEntryThatClimbsToDevZeroIsRefusedUnopened() throws {
    let folder = TestSupport.TemporaryFolder()
    let out = try Self.output(folder)
    let climb = String(repeating: "../", count: out.split(separator: "/").count + 2) + "dev/zero"
    try Self.addOutputs(out, [["path": climb, "bytes": 1, "sha256": String(repeating: "0", count: 64)]])
    let run = try Self.verify(out)
    #expect(run.status == 2)
    #expect(
      run.stderr.contains("\(out)/manifest.json: error: lists \"\(climb)\", a path that leaves the folder"),
      "\(run.stderr)")
  }

  @Test func aManifestEntryForAFileBesideTheFolderIsNeitherVerifiedNorDescribed() throws {
    let folder = TestSupport.TemporaryFolder()
    let out = try Self.output(folder)
    let secret = Data("hostname.example\n".utf8)
    try secret.write(to: URL(fileURLWithPath: folder.file("secret.txt")))
    let digest = Self.sha256(secret)
    // Listed with its true size and digest, the file would verify; listed wrong, its size and digest would print.
    try Self.addOutputs(
      out,
      [
        ["path": "../secret.txt", "bytes": secret.count, "sha256": digest],
        ["path": "archive/../../secret.txt", "bytes": 1, "sha256": String(repeating: "0", count: 64)],
      ])
    let run = try Self.verify(out)
    #expect(run.status == 2)
    #expect(run.stderr.contains("lists \"../secret.txt\", a path that leaves the folder"), "\(run.stderr)")
    #expect(run.stderr.contains("lists \"archive/../../secret.txt\", a path that leaves the folder"))
    #expect(!run.stderr.contains(digest), "\(run.stderr)")
    #expect(!run.stderr.contains("\(secret.count) bytes"), "\(run.stderr)")
  }

  @Test func manifestEntriesSpelledAnyOtherWayAreRefusedByName() throws {
    let folder = TestSupport.TemporaryFolder()
    let out = try Self.output(folder)
    let spellings: [(path: String, shown: String, reason: String)] = [
      ("/etc/hostname", "\"/etc/hostname\"", "an absolute path"),
      ("2026-03//summary.csv", "\"2026-03//summary.csv\"", "a path with an empty component"),
      ("./summary.csv", "\"./summary.csv\"", "a path with a '.' component"),
      ("2026-03\\..\\..\\x.csv", "\"2026-03\\\\..\\\\..\\\\x.csv\"", "a path with a backslash"),
      ("a\u{0}b.csv", "\"a\\0b.csv\"", "a path with a control character"),
      ("a\u{1B}[2Jb.csv", "\"a\\u{1B}[2Jb.csv\"", "a path with a control character"),
      ("", "\"\"", "an empty path"),
    ]
    try Self.addOutputs(
      out, spellings.map { ["path": $0.path, "bytes": 1, "sha256": String(repeating: "0", count: 64)] })
    let run = try Self.verify(out)
    #expect(run.status == 2)
    for spelling in spellings {
      #expect(
        run.stderr.contains("\(out)/manifest.json: error: lists \(spelling.shown), \(spelling.reason)"),
        "\(spelling.shown): \(run.stderr)")
    }
    // The control characters themselves never reach the terminal.
    #expect(!run.stderr.contains("\u{1B}") && !run.stderr.contains("\u{0}"))
  }

  // MARK: Archive member names (item 11)

  /// The members of an archive, read back in-process.
  private static func members(of archive: String) throws -> [(path: String, data: [UInt8])] {
    let tar = TarReader(source: try GzipByteSource(file: try FileByteSource(path: archive)))
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
    defer { buffer.deallocate() }
    var result: [(path: String, data: [UInt8])] = []
    while let member = try tar.next() {
      var data: [UInt8] = []
      while case let n = try tar.read(into: buffer), n > 0 { data += buffer[0..<n] }
      result.append((member.path, data))
    }
    return result
  }

  /// The archive rebuilt as this tool writes one, with `extra` members added and listed in its manifest.
  private static func rebuild(_ archive: String, adding extra: [String], to target: String) throws {
    var members = try Self.members(of: archive)
    let last = members.popLast()
    let manifest = try #require(last)
    var json = try #require(try JSONSerialization.jsonObject(with: Data(manifest.data)) as? [String: Any])
    let content = Array("x\r\n".utf8)
    json["members"] =
      (json["members"] as? [[String: Any]] ?? [])
      + extra.map { ["path": $0, "bytes": content.count, "sha256": Self.sha256(Data(content))] }
    members += extra.map { ($0, content) }
    members.sort { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
    members.append((manifest.path, Array(try JSONSerialization.data(withJSONObject: json))))
    let memory = MemoryTarget()
    let gzip = try GzipTarget(into: memory)
    let tar = TarWriter(into: gzip)
    for member in members { try tar.add(path: member.path, member.data) }
    try tar.finish()
    try gzip.finish()
    try Data(memory.bytes).write(to: URL(fileURLWithPath: target))
  }

  @Test func anArchiveRebuiltAsThisToolWouldStillVerify() throws {
    let folder = TestSupport.TemporaryFolder()
    let out = try Self.output(folder)
    let rebuilt = folder.file("2026-03.tar.gz")
    try Self.rebuild(out + "/archive/2026-03.tar.gz", adding: ["2026-03/extra.csv"], to: rebuilt)
    let run = try Self.verify(rebuilt)
    #expect(run.status == 0, "\(run.stderr)")
  }

  @Test func archiveMembersNamedToClimbOutAreRefusedByName() throws {
    let folder = TestSupport.TemporaryFolder()
    let out = try Self.output(folder)
    let rebuilt = folder.file("2026-03.tar.gz")
    let names: [(name: String, shown: String, reason: String)] = [
      ("2026-03/../../evil.csv", "\"2026-03/../../evil.csv\"", "a path that leaves the folder"),
      ("2026-03/./x.csv", "\"2026-03/./x.csv\"", "a path with a '.' component"),
      ("2026-03//y.csv", "\"2026-03//y.csv\"", "a path with an empty component"),
      ("2026-03/a\\..\\b.csv", "\"2026-03/a\\\\..\\\\b.csv\"", "a path with a backslash"),
      ("2026-03/a\u{0}b.csv", "\"2026-03/a\\0b.csv\"", "a path with a control character"),
    ]
    try Self.rebuild(out + "/archive/2026-03.tar.gz", adding: names.map(\.name), to: rebuilt)
    let run = try Self.verify(rebuilt)
    #expect(run.status == 2, "\(run.stderr)")
    for name in names {
      #expect(
        run.stderr.contains("\(rebuilt): error: holds member \(name.shown), \(name.reason)"),
        "\(name.shown): \(run.stderr)")
      #expect(
        run.stderr.contains("\(rebuilt)(2026-03/manifest.json): error: lists \(name.shown), \(name.reason)"),
        "\(name.shown): \(run.stderr)")
    }
  }
}
