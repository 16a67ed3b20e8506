import Crypto
import Foundation
import Testing

/// Each published statement version's `statement.tar.gz`: exactly its files, reproducible, at `gzip_level`.
@Suite struct RunArchiveTests {
  /// Python's `tarfile` and `gzip` (not this project's reader): one gzip member, then every tar member's name,
  /// mode, mtime, owner and content digest, as JSON.
  static let reader = """
    import gzip, hashlib, json, sys, tarfile
    raw = open(sys.argv[1], "rb").read()
    members = 0
    rest = raw
    while rest:
        d = __import__("zlib").decompressobj(31)
        d.decompress(rest)
        rest = d.unused_data
        members += 1
    out = {"gzip_members": members, "gzip_mtime": int.from_bytes(raw[4:8], "little"), "files": {}}
    with tarfile.open(fileobj=__import__("io").BytesIO(gzip.decompress(raw)), mode="r:") as tar:
        for m in tar.getmembers():
            data = tar.extractfile(m).read()
            out["files"][m.name] = {"sha256": hashlib.sha256(data).hexdigest(), "mode": m.mode, "mtime": m.mtime,
                                    "uid": m.uid, "uname": m.uname, "type": m.type.decode()}
    print(json.dumps(out))
    """

  struct Archive {
    var gzipMembers: Int
    var gzipMtime: Int
    /// Member name → (sha256, mode, mtime, uid, uname, type).
    var files: [String: [String: Any]]
    var digests: [String: String] { files.mapValues { $0["sha256"] as? String ?? "" } }
  }

  static func read(_ path: String) throws -> Archive {
    let run = try TestSupport.run(ExternalTool.python3, ["-c", reader, path])
    #expect(run.status == 0, "\(run.stderr)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    return Archive(
      gzipMembers: json["gzip_members"] as? Int ?? -1, gzipMtime: json["gzip_mtime"] as? Int ?? -1,
      files: json["files"] as? [String: [String: Any]] ?? [:])
  }

  static func sha256(_ data: Data) -> String { SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() }

  /// The version folders of a target (`<period>/<fa>/<ccy>/v<N>`).
  static func versions(_ target: String) -> [String] {
    Set(TestSupport.tree(target).keys.filter { $0.hasSuffix("/statement.json") }.map { String($0.dropLast(15)) })
      .sorted()
  }

  /// The archives of a target, by path, as bytes.
  static func archives(_ target: String) -> [String: Data] {
    TestSupport.tree(target).filter { $0.key.hasSuffix("/statement.tar.gz") }
  }

  /// Checks one version: the archive holds exactly its files (the record and the archive aside), byte for byte,
  /// as reproducible members; the record lists the archive's digest; the index line lists the archive.
  static func checkVersion(_ version: String, in target: String, index: [[String: Any]]) throws {
    let tree = TestSupport.tree(target + "/" + version)
    let archiveData = try #require(tree["statement.tar.gz"], "\(version)/statement.tar.gz")
    let archive = try read(target + "/" + version + "/statement.tar.gz")
    var expected: [String: String] = [:]
    for (name, data) in tree where name != "statement.json" && name != "statement.tar.gz" {
      expected[name] = sha256(data)
    }
    #expect(archive.digests == expected, "\(version)")
    #expect(archive.gzipMembers == 1)
    #expect(archive.gzipMtime == 0)
    for (name, info) in archive.files {
      #expect(info["mode"] as? Int == 0o644 && info["mtime"] as? Int == 0 && info["uid"] as? Int == 0, "\(name)")
      #expect(info["uname"] as? String == "" && info["type"] as? String == "0", "\(name)")
    }
    let recordData = try #require(tree["statement.json"])
    let record = try #require(try JSONSerialization.jsonObject(with: recordData) as? [String: Any])
    let files = try #require(record["files"] as? [String: String])
    #expect(files["statement.tar.gz"] == sha256(archiveData))
    #expect(Set(files.keys) == Set(expected.keys).union(["statement.tar.gz"]))
    let parts = version.split(separator: "/")
    let line = try #require(
      index.first {
        $0["period"] as? String == String(parts[0]) && $0["financial_account"] as? String == String(parts[1])
          && $0["version"] as? Int == Int(parts[3].dropFirst()) && $0["status"] as? String == "final"
      }, "index line of \(version)")
    #expect((line["objects"] as? [String])?.contains(version + "/statement.tar.gz") == true)
  }

  @Test(.enabled(if: ExternalTool.available(ExternalTool.python3, ExternalTool.tar)))
  func eachVersionIsArchivedReproduciblyAndARerunChangesNothing() throws {
    let setup = try RunEndToEndTests.Setup()
    let first = try setup.run()
    #expect(first.status == 0, "\(first.stderr)")
    let versions = Self.versions(setup.target)
    #expect(versions.count == 6)
    for version in versions { try Self.checkVersion(version, in: setup.target, index: setup.index()) }
    // GNU tar reads it too, to the same names.
    let one = setup.target + "/" + versions[0] + "/statement.tar.gz"
    let listed = try TestSupport.run(ExternalTool.tar, ["-tzf", one])
    #expect(listed.status == 0, "\(listed.stderr)")
    #expect(
      listed.stdout.split(separator: "\n").map(String.init)
        == ["entries.csv", "pending.csv", "statement.camt053.xml", "statement.ofx", "transactions.csv"])

    // An identical rerun publishes nothing and leaves every archive's bytes as they were.
    let before = Self.archives(setup.target)
    let again = try setup.run()
    #expect(again.status == 0, "\(again.stderr)")
    #expect(again.stderr.contains("published 0 statement versions, 6 unchanged"))
    #expect(Self.archives(setup.target) == before)

    // A restatement's archive holds its restatement.csv too; v1's archive is untouched.
    setup.addLaterData()
    let later = try setup.run()
    #expect(later.status == 6, "\(later.stderr)")
    let v2 = "2026-02/fa_1NorthwindOps000001/usd/v2"
    try Self.checkVersion(v2, in: setup.target, index: setup.index())
    #expect(try Self.read(setup.target + "/" + v2 + "/statement.tar.gz").files["restatement.csv"] != nil)
    for (path, data) in before { #expect(Self.archives(setup.target)[path] == data, "\(path) changed") }
  }

  @Test(.enabled(if: ExternalTool.available(ExternalTool.python3)))
  func gzipLevelChangesTheArchiveBytesButNotItsMembersAndTheRunDayChangesNothing() throws {
    let fast = try RunEndToEndTests.Setup(extra: "gzip_level: 1")
    let small = try RunEndToEndTests.Setup(extra: "gzip_level: 9")
    // The same level two months later: January and February are the same versions, byte for byte.
    let later = try RunEndToEndTests.Setup(extra: "gzip_level: 9")
    for (setup, arguments) in [(fast, []), (small, []), (later, ["--as-of", "2026-06-01T00:00:00Z"])] {
      let run = try setup.run(arguments)
      #expect(run.status == 0, "\(run.stderr)")
    }
    let fastArchives = Self.archives(fast.target)
    let smallArchives = Self.archives(small.target)
    #expect(fastArchives.count == 6)
    #expect(Set(fastArchives.keys) == Set(smallArchives.keys))
    for (path, data) in fastArchives {
      let nine = try #require(smallArchives[path])
      #expect(data != nine, "\(path): the same bytes at levels 1 and 9")
      #expect(
        try Self.read(fast.target + "/" + path).digests == (try Self.read(small.target + "/" + path).digests), "\(path)"
      )
    }
    let (fastSize, smallSize) = (
      fastArchives.values.map(\.count).reduce(0, +), smallArchives.values.map(\.count).reduce(0, +)
    )
    #expect(fastSize > smallSize, "level 1: \(fastSize) bytes in all, level 9: \(smallSize)")
    let laterArchives = Self.archives(later.target)
    for (path, data) in smallArchives { #expect(laterArchives[path] == data, "\(path) depends on the run day") }
  }
}
