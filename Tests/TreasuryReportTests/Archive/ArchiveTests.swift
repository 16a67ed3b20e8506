import Foundation
import Testing

@testable import TreasuryArchive
@testable import TreasuryJob
@_spi(Inlining) @testable import TreasuryModel

/// `--gzip`, `--archive` and `verify`, end to end through the built binary, read back by gzip, GNU tar and Python.
@Suite(.serialized) struct ArchiveTests {
  /// A generated dump in `folder/dump`.
  private static func dump(_ folder: TestSupport.TemporaryFolder, seed: Int = 41) throws -> String {
    let path = folder.file("dump")
    try TestSupport.generate(
      into: path,
      ["--accounts", "3", "--months", "3", "--transactions-per-month", "40", "--seed", String(seed), "--messy"])
    return path
  }

  private static func statements(_ dump: String, _ out: String, _ extra: [String]) throws -> TestSupport.Run {
    let run = try TestSupport.run("treasury-report", ["statements", dump, "--out", out] + extra)
    #expect(run.status == 0, "\(run.stderr)")
    return run
  }

  private static func verify(_ paths: String...) throws -> TestSupport.Run {
    try TestSupport.run("treasury-report", ["verify"] + paths)
  }

  private static func json(_ data: Data?) throws -> [String: Any] {
    let bytes = try #require(data)
    return try #require(try JSONSerialization.jsonObject(with: bytes) as? [String: Any])
  }

  private static func sha256(_ path: String) throws -> String {
    let run = try TestSupport.run("/usr/bin/sha256sum", [path])
    return String(run.stdout.prefix(64))
  }

  private static func archives(_ out: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: out + "/archive").sorted().map { out + "/archive/" + $0 }
  }

  /// The `manifest.json` member of an archive, through Python's tarfile.
  private static func archiveManifest(_ archive: String) throws -> [String: Any] {
    let script = """
      import sys, tarfile
      with tarfile.open(sys.argv[1]) as t:
          m = [m for m in t.getmembers() if m.name.endswith('/manifest.json')]
          sys.stdout.write(t.extractfile(m[0]).read().decode())
      """
    let run = try TestSupport.run("/usr/bin/env", ["python3", "-c", script, archive])
    #expect(run.status == 0, "\(run.stderr)")
    return try json(Data(run.stdout.utf8))
  }

  @Test func sameJobTwiceGivesIdenticalArchives() throws {
    let folder = TestSupport.TemporaryFolder()
    let dump = try Self.dump(folder)
    _ = try Self.statements(dump, folder.file("a"), ["--archive", "--jobs", "1"])
    _ = try Self.statements(dump, folder.file("b"), ["--archive", "--jobs", "4"])
    // Gzipping the other outputs does not change the archives either.
    _ = try Self.statements(dump, folder.file("c"), ["--archive", "--gzip"])
    let a = try Self.archives(folder.file("a"))
    #expect(a.map { ($0 as NSString).lastPathComponent } == ["2026-01.tar.gz", "2026-02.tar.gz", "2026-03.tar.gz"])
    for path in a {
      let name = (path as NSString).lastPathComponent
      let digest = try Self.sha256(path)
      #expect(digest == (try Self.sha256(folder.file("b/archive/" + name))), "\(name)")
      #expect(digest == (try Self.sha256(folder.file("c/archive/" + name))), "\(name)")
      // gzip header: no name, mtime 0, OS unknown.
      let head = try #require(FileManager.default.contents(atPath: path)).prefix(10)
      #expect(Array(head) == [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF])
    }
    // The folder's manifest lists each archive with the same digest.
    let manifest = try Self.json(FileManager.default.contents(atPath: folder.file("a/manifest.json")))
    let outputs = try #require(manifest["outputs"] as? [[String: Any]])
    let listed = outputs.first { $0["path"] as? String == "archive/2026-02.tar.gz" }
    #expect(listed?["sha256"] as? String == (try Self.sha256(folder.file("a/archive/2026-02.tar.gz"))))
    #expect((manifest["options"] as? [String: String])?["archive"] == "true")
  }

  @Test(.enabled(if: ExternalTool.available(ExternalTool.tar), "needs GNU tar"))
  func gzipGnuTarAndPythonReadTheArchives() throws {
    let folder = TestSupport.TemporaryFolder()
    let out = folder.file("out")
    _ = try Self.statements(try Self.dump(folder), out, ["--archive", "--list-voided"])
    let summary = TestSupport.records(out + "/summary.csv")
    for archive in try Self.archives(out) {
      let label = String((archive as NSString).lastPathComponent.dropLast(7))
      #expect(try TestSupport.run("/bin/gzip", ["-t", archive]).status == 0)

      let listing = try TestSupport.run("/usr/bin/tar", ["-tzf", archive])
      #expect(listing.status == 0 && listing.stderr.isEmpty, "\(listing.stderr)")
      let names = listing.stdout.split(separator: "\n").map(String.init)
      let manifest = try Self.archiveManifest(archive)
      let members = try #require(manifest["members"] as? [[String: Any]])
      let paths = members.compactMap { $0["path"] as? String }
      #expect(names == paths + [label + "/manifest.json"], "members sorted by path, the manifest last")
      #expect(paths == paths.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
      #expect(paths.contains(label + "/summary.csv"))

      // GNU tar extracts exactly the folder's files; the manifest's digests are theirs.
      let extracted = folder.file("x-" + label)
      try FileManager.default.createDirectory(atPath: extracted, withIntermediateDirectories: true)
      #expect(try TestSupport.run("/usr/bin/tar", ["-xzf", archive, "-C", extracted]).status == 0)
      for member in members {
        let path = try #require(member["path"] as? String)
        let bytes = try #require(FileManager.default.contents(atPath: extracted + "/" + path))
        #expect(member["bytes"] as? Int == bytes.count)
        #expect(member["sha256"] as? String == (try Self.sha256(extracted + "/" + path)))
        if path.hasSuffix("/summary.csv") { continue }
        #expect(FileManager.default.contents(atPath: out + "/" + path) == bytes, "\(path)")
      }
      // The archive's summary rows are the folder's rows of that period.
      let rows = TestSupport.records(extracted + "/" + label + "/summary.csv")
      #expect(!rows.isEmpty)
      #expect(rows.allSatisfy { row in summary.contains(row) })

      // Control totals per statement equal the summary row.
      let controls = try #require(manifest["statements"] as? [[String: Any]])
      #expect(controls.count == rows.count)
      for (control, row) in zip(controls, rows) {
        #expect(control["financial_account"] as? String == row["financial_account"])
        let opening = control["opening"] as? [String: String]
        let closing = control["closing"] as? [String: String]
        #expect(opening?["cash"] == row["opening_cash"] && closing?["cash"] == row["closing_cash"])
        #expect(opening?["outbound_pending"] == row["opening_outbound_pending"])
        #expect(closing?["outbound_pending"] == row["closing_outbound_pending"])
        #expect(control["credits"] as? String == row["credits"] && control["debits"] as? String == row["debits"])
        #expect(control["posted_count"] as? Int == Int(row["posted_count"] ?? ""))
        #expect(control["reconciled"] as? Bool == true && control["difference"] as? String == "0.00")
        #expect((control["files"] as? [String])?.count == 4)
      }

      // Python's tarfile: every member a regular 0644 file of uid/gid 0 at mtime 0, no owner names.
      let script = """
        import sys, tarfile
        with tarfile.open(sys.argv[1]) as t:
            for m in t.getmembers():
                assert m.isfile() and m.mode == 0o644 and m.uid == 0 and m.gid == 0 and m.mtime == 0, m.name
                assert m.uname == '' and m.gname == '', m.name
                t.extractfile(m).read()
            print(len(t.getmembers()))
        """
      let python = try TestSupport.run("/usr/bin/env", ["python3", "-c", script, archive])
      #expect(python.status == 0, "\(python.stderr)")
      #expect(python.stdout == "\(names.count)\n")
    }
  }

  @Test func verifyAcceptsArchivesAndFolders() throws {
    let folder = TestSupport.TemporaryFolder()
    let dump = try Self.dump(folder)
    _ = try Self.statements(dump, folder.file("plain"), ["--archive"])
    _ = try Self.statements(dump, folder.file("gz"), ["--archive", "--gzip", "--gzip-level", "1", "--list-voided"])
    _ = try Self.statements(dump, folder.file("summary"), ["--archive", "--format", "summary"])
    let archive = folder.file("plain/archive/2026-02.tar.gz")
    let one = try Self.verify(archive)
    let digest = try Self.sha256(archive)
    #expect(one.status == 0, "\(one.stderr)")
    #expect(one.stderr.isEmpty)
    #expect(
      one.stdout.hasPrefix("treasury-report: verified \(archive) (")
        && one.stdout.hasSuffix("every statement reconciles; sha256 \(digest)\n"), "\(one.stdout)")
    #expect(one.stdout.split(separator: "\n").count == 1)
    for path in ["plain", "gz", "summary"] {
      let run = try Self.verify(folder.file(path))
      #expect(run.status == 0, "\(path): \(run.stderr)")
      #expect(run.stdout.contains("9 statements"), "\(run.stdout)")
    }
    let all = try Self.verify(folder.file("plain"), folder.file("gz/archive/2026-01.tar.gz"))
    #expect(all.status == 0 && all.stdout.hasPrefix("treasury-report: verified 2 paths ("), "\(all.stdout)")
  }

  @Test(arguments: [0.15, 0.3, 0.45, 0.6, 0.75, 0.9])
  func verifyRejectsAFlippedByteNamingAMember(at fraction: Double) throws {
    let folder = TestSupport.TemporaryFolder()
    let out = folder.file("out")
    _ = try Self.statements(try Self.dump(folder), out, ["--archive"])
    let archive = out + "/archive/2026-02.tar.gz"
    var bytes = try #require(FileManager.default.contents(atPath: archive))
    let offset = Int(Double(bytes.count) * fraction)
    bytes[offset] ^= 0x10
    let tampered = folder.file("tampered.tar.gz")
    try bytes.write(to: URL(fileURLWithPath: tampered))
    let run = try Self.verify(tampered)
    #expect(run.status == 2, "\(run.stdout)")
    #expect(run.stdout.isEmpty)
    #expect(run.stderr.contains("\(tampered)(2026-02/"), "no member named: \(run.stderr)")
    #expect(run.stderr.hasSuffix("not verified\n"))
  }

  /// An archive is many gzip members; the bytes of their headers that no CRC covers (mtime, extra flags, OS)
  /// are checked against the canonical header, in every member.
  @Test(arguments: [(4, "mtime"), (9, "OS")])
  func verifyRejectsAChangedGzipMemberHeader(byte: Int, field: String) throws {
    let folder = TestSupport.TemporaryFolder()
    let out = folder.file("out")
    _ = try Self.statements(try Self.dump(folder), out, ["--archive"])
    var bytes = [UInt8](try #require(FileManager.default.contents(atPath: out + "/archive/2026-02.tar.gz")))
    // The canonical header 1f 8b 08 00 00000000 xfl ff, somewhere past the first member.
    let starts = (10..<(bytes.count - 10)).filter { i in
      bytes[i] == 0x1F && bytes[i + 1] == 0x8B && bytes[i + 2] == 8 && bytes[i + 3] == 0
        && bytes[(i + 4)..<(i + 8)].allSatisfy { $0 == 0 } && bytes[i + 9] == 0xFF
    }
    #expect(starts.count > 5, "expected an archive of many gzip members")
    let header = try #require(starts.dropFirst(starts.count / 2).first)
    bytes[header + byte] ^= 0x01
    let tampered = folder.file("tampered.tar.gz")
    try Data(bytes).write(to: URL(fileURLWithPath: tampered))
    let run = try Self.verify(tampered)
    #expect(run.status == 2)
    #expect(
      run.stderr.contains(
        "error: the gzip member header at byte \(header) is not the one treasury-report writes (\(field)"),
      "\(run.stderr)")
  }

  /// Content intact but the layout not this tool's (rebuilt by Python with canonical gzip headers): rejected.
  @Test(arguments: [
    ("reorder", "is out of order"), ("manifest-first", "comes after manifest.json"),
    ("folder", "is a folder entry"), ("mode", "its tar header is not the one treasury-report writes"),
    ("padding", "the tar stream ends at byte"),
  ])
  func verifyRejectsALayoutThisToolDoesNotWrite(mode: String, finding: String) throws {
    let folder = TestSupport.TemporaryFolder()
    let out = folder.file("out")
    _ = try Self.statements(try Self.dump(folder), out, ["--archive"])
    let rebuilt = folder.file("2026-02.tar.gz")
    let script = """
      import gzip, io, sys, tarfile
      source, target, mode = sys.argv[1:4]
      raw = gzip.decompress(open(source, 'rb').read())
      members = []
      with tarfile.open(fileobj=io.BytesIO(raw)) as tar:
          for info in tar.getmembers():
              members.append((info, tar.extractfile(info).read()))
      if mode == 'reorder':
          members[0], members[1] = members[1], members[0]
      if mode == 'manifest-first':
          members.insert(0, members.pop())
      out = io.BytesIO()
      with tarfile.open(fileobj=out, mode='w', format=tarfile.USTAR_FORMAT) as tar:
          if mode == 'folder':
              folder = tarfile.TarInfo('2026-02/evil')
              folder.type = tarfile.DIRTYPE
              folder.mode = 0o777
              tar.addfile(folder)
          for info, data in members:
              if mode == 'mode':
                  info.mode = 0o4755
              tar.addfile(info, io.BytesIO(data))
      data = out.getvalue()
      if mode == 'padding':
          data += bytes(10240)
      open(target, 'wb').write(gzip.compress(data, compresslevel=6, mtime=0))
      """
    let python = try TestSupport.run(
      "/usr/bin/env", ["python3", "-c", script, out + "/archive/2026-02.tar.gz", rebuilt, mode])
    #expect(python.status == 0, "\(python.stderr)")
    let run = try Self.verify(rebuilt)
    #expect(run.status == 2, "\(run.stdout)")
    #expect(run.stderr.contains(finding), "\(run.stderr)")
  }

  @Test func verifyRejectsAnArchiveUnderAnotherPeriodsName() throws {
    let folder = TestSupport.TemporaryFolder()
    let out = folder.file("out")
    _ = try Self.statements(try Self.dump(folder), out, ["--archive"])
    let renamed = folder.file("2026-01.tar.gz")
    try FileManager.default.copyItem(atPath: out + "/archive/2026-02.tar.gz", toPath: renamed)
    let run = try Self.verify(renamed)
    #expect(run.status == 2)
    #expect(run.stderr.contains("holds period 2026-02, whose archive is named 2026-02.tar.gz"), "\(run.stderr)")
  }

  @Test func verifyRejectsATruncatedArchiveNamingTheMember() throws {
    let folder = TestSupport.TemporaryFolder()
    let out = folder.file("out")
    _ = try Self.statements(try Self.dump(folder), out, ["--archive"])
    let bytes = try #require(FileManager.default.contents(atPath: out + "/archive/2026-03.tar.gz"))
    for (name, length) in [("half", bytes.count / 2), ("most", bytes.count - 100), ("trailer", bytes.count - 8)] {
      let path = folder.file(name + ".tar.gz")
      try bytes.prefix(length).write(to: URL(fileURLWithPath: path))
      let run = try Self.verify(path)
      #expect(run.status == 2, "\(name)")
      #expect(run.stderr.contains("cut short"), "\(name): \(run.stderr)")
      #expect(run.stderr.contains("member 2026-03/"), "\(name): \(run.stderr)")
    }
  }

  @Test(.enabled(if: ExternalTool.available(ExternalTool.tar), "needs GNU tar"), arguments: ["python", "gnu"])
  func verifyRejectsAMemberAlteredAndReArchived(with tool: String) throws {
    let folder = TestSupport.TemporaryFolder()
    let out = folder.file("out")
    _ = try Self.statements(try Self.dump(folder), out, ["--archive"])
    let archive = out + "/archive/2026-02.tar.gz"
    let work = folder.file("work")
    try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    #expect(try TestSupport.run("/usr/bin/tar", ["-xzf", archive, "-C", work]).status == 0)
    // Change the first amount of one statement's transactions by a cent; keep every other member and the manifest.
    let manifest = try Self.archiveManifest(archive)
    let member = try #require(
      (manifest["members"] as? [[String: Any]])?.compactMap { $0["path"] as? String }.first {
        $0.hasSuffix("/transactions.csv") && TestSupport.records(work + "/" + $0).count > 0
      })
    var lines = TestSupport.text(work + "/" + member).components(separatedBy: "\r\n")
    let row = TestSupport.csv(lines[0] + "\r\n" + lines[1] + "\r\n")
    let amount = try #require(row[0].firstIndex(of: "amount"))
    let minor = try #require(DecimalAmount.parse(row[1][amount], digits: 2))
    let changed = DecimalAmount.string(minor + 1, digits: 2)
    let cell = try #require(lines[1].range(of: "," + row[1][amount] + ","))
    lines[1].replaceSubrange(cell, with: "," + changed + ",")
    try Data(lines.joined(separator: "\r\n").utf8).write(to: URL(fileURLWithPath: work + "/" + member))

    let rebuilt = folder.file("rebuilt.tar.gz")
    let run =
      tool == "python"
      ? try TestSupport.run(
        "/usr/bin/env",
        [
          "python3", "-c", "import sys, tarfile\nwith tarfile.open(sys.argv[1], 'w:gz') as t: t.add('2026-02')",
          rebuilt,
        ],
        cwd: work)
      : try TestSupport.run("/usr/bin/tar", ["-czf", rebuilt, "-C", work, "2026-02"])
    #expect(run.status == 0, "\(run.stderr)")
    let result = try Self.verify(rebuilt)
    #expect(result.status == 2)
    #expect(result.stderr.contains("\(rebuilt)(\(member)): error: has changed: "), "\(result.stderr)")
    // The recomputed totals disagree with the summary too.
    let recomputed = result.stderr.split(separator: "\n").filter {
      $0.hasPrefix("\(rebuilt)(\(member)): error: ") && !$0.contains("has changed: ")
    }
    #expect(
      recomputed.contains { $0.contains("the summary says") || $0.contains("the running balance starts from") },
      "\(result.stderr)")
    #expect(!result.stderr.contains("is not listed"), "folders in the re-made archive are not findings")
  }

  @Test func verifyRejectsAFolderWithAnAlteredCSVNamingTheFile() throws {
    let folder = TestSupport.TemporaryFolder()
    let out = folder.file("out")
    _ = try Self.statements(try Self.dump(folder), out, ["--archive"])
    let name = try #require(
      FileManager.default.subpaths(atPath: out)?.sorted().first {
        $0.hasSuffix("/entries.csv") && TestSupport.records(out + "/" + $0).count > 0
      })
    let path = out + "/" + name
    var text = TestSupport.text(path)
    let last = try #require(text.dropLast(2).lastIndex(of: ","))
    text.insert("1", at: text.index(after: last))  // the last running booked balance gains a leading digit
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    let run = try Self.verify(out)
    #expect(run.status == 2)
    #expect(run.stderr.contains("\(path): error: has changed"), "\(run.stderr)")

    // Re-hashed into manifest.json, the change is still caught: by the
    // recomputed balances and by the archive that holds the original.
    let manifestPath = out + "/manifest.json"
    var manifest = try Self.json(FileManager.default.contents(atPath: manifestPath))
    var outputs = try #require(manifest["outputs"] as? [[String: Any]])
    let index = try #require(outputs.firstIndex { $0["path"] as? String == name })
    outputs[index]["sha256"] = try Self.sha256(path)
    outputs[index]["bytes"] = text.utf8.count
    manifest["outputs"] = outputs
    try JSONSerialization.data(withJSONObject: manifest).write(to: URL(fileURLWithPath: manifestPath))
    let again = try Self.verify(out)
    #expect(again.status == 2)
    #expect(!again.stderr.contains("has changed"))
    #expect(again.stderr.contains("\(path): error: row "), "\(again.stderr)")
    #expect(again.stderr.contains("(\(name)): error: differs from \(path)"), "\(again.stderr)")
  }

  /// Files over 1 MiB are several gzip members (one per MiB of input); an archive copies them in as they are, reads
  /// the same whatever `--jobs` or `--gzip`, and gzip, GNU tar and `verify` accept it.
  @Test(.enabled(if: ExternalTool.available(ExternalTool.tar), "needs GNU tar"))
  func filesOverOneMebibyteAreMemberSequencesInTheArchive() throws {
    let folder = TestSupport.TemporaryFolder()
    let dump = folder.file("dump")
    try TestSupport.generate(into: dump, ["--accounts", "1", "--months", "1", "--transactions-per-month", "6000"])
    let formats = ["--format", "csv,camt053"]
    _ = try Self.statements(dump, folder.file("a"), formats + ["--archive", "--gzip", "--jobs", "1"])
    _ = try Self.statements(dump, folder.file("b"), formats + ["--archive", "--jobs", "2"])
    let archive = folder.file("a/archive/2026-01.tar.gz")
    #expect(try Self.sha256(archive) == (try Self.sha256(folder.file("b/archive/2026-01.tar.gz"))))
    let script = """
      import sys, zlib
      def members(path):
          data = open(path, 'rb').read()
          pos, count = 0, 0
          while pos < len(data):
              d = zlib.decompressobj(31)
              d.decompress(data[pos:])
              assert d.eof and data[pos:pos + 10] == bytes.fromhex('1f8b08000000000000ff'), pos
              pos, count = len(data) - len(d.unused_data), count + 1
          return data, count
      archive, _ = members(sys.argv[1])
      for path in sys.argv[2:]:
          data, count = members(path)
          assert data in archive, path + ' is not copied into the archive as it is'
          print(count)
      """
    let files = ["entries.csv.gz", "statement.camt053.xml.gz"].map {
      folder.file("a/2026-01/fa_1Gen0000Main000000/" + $0)
    }
    let python = try TestSupport.run("/usr/bin/env", ["python3", "-c", script, archive] + files)
    #expect(python.status == 0, "\(python.stderr)")
    let counts = python.stdout.split(separator: "\n").compactMap { Int($0) }
    #expect(counts.count == 2 && counts.allSatisfy { $0 >= 2 }, "members per file: \(python.stdout)")
    #expect(try TestSupport.run("/bin/gzip", ["-t", archive]).status == 0)
    let listing = try TestSupport.run("/usr/bin/tar", ["-tzf", archive])
    #expect(listing.status == 0 && listing.stdout.contains("statement.camt053.xml\n"), "\(listing.stderr)")
    let verified = try Self.verify(folder.file("a"))
    #expect(verified.status == 0, "\(verified.stderr)")
  }

  @Test func gzipOutputsDecompressToThePlainRunsBytes() throws {
    let folder = TestSupport.TemporaryFolder()
    let dump = try Self.dump(folder)
    let plain = folder.file("plain")
    let gz = folder.file("gz")
    _ = try Self.statements(dump, plain, ["--list-voided", "--skip-invalid"])
    _ = try Self.statements(dump, gz, ["--list-voided", "--skip-invalid", "--gzip", "--gzip-level", "9"])
    let plainFiles = TestSupport.tree(plain)
    let gzFiles = TestSupport.tree(gz)
    #expect(Set(gzFiles.keys) == Set(plainFiles.keys.map { $0 == "manifest.json" ? $0 : $0 + ".gz" }))
    #expect(plainFiles.keys.contains("rejects.jsonl") && plainFiles.keys.contains("accounts.csv"))
    let manifest = try Self.json(gzFiles["manifest.json"])
    let outputs = try #require(manifest["outputs"] as? [[String: Any]])
    #expect(outputs.count == plainFiles.count - 1)
    for output in outputs {
      let path = try #require(output["path"] as? String)
      #expect(path.hasSuffix(".gz"))
      let original = String(path.dropLast(3))
      #expect(try TestSupport.run("/bin/gzip", ["-t", gz + "/" + path]).status == 0)
      let back = try TestSupport.run("/bin/gzip", ["-dc", gz + "/" + path])
      #expect(Data(back.stdout.utf8) == plainFiles[original], "\(path)")
      #expect(output["content_sha256"] as? String == (try Self.sha256(plain + "/" + original)))
      #expect(output["sha256"] as? String == (try Self.sha256(gz + "/" + path)))
      #expect(output["bytes"] as? Int == gzFiles[path]?.count)
    }
    #expect((manifest["options"] as? [String: String])?["gzip_level"] == "9")
  }

  @Test func verifyExitCodes() throws {
    let folder = TestSupport.TemporaryFolder()
    #expect(try Self.verify(folder.file("missing")).status == 4)
    try FileManager.default.createDirectory(atPath: folder.file("empty"), withIntermediateDirectories: true)
    let empty = try Self.verify(folder.file("empty"))
    #expect(empty.status == 2 && empty.stderr.contains("not a treasury-report output folder"))

    // Intact, but a statement does not reconcile (as its summary row records): 3.
    let good = Lines.transaction("trxn_1", amount: 500, flowType: "received_credit")
    let entry = Lines.entry("trxne_1", transaction: "trxn_1", at: 1_767_225_600, cash: 500)
    let orphan = Lines.transaction("trxn_2", amount: -200, created: 1_767_300_000)
    let dump = folder.write("acct_1Test/dump.jsonl", [good, entry, orphan].joined(separator: "\n"))
    _ = try Self.statements(dump, folder.file("out"), ["--archive", "--allow-unreconciled"])
    let run = try Self.verify(folder.file("out/archive/2026-01.tar.gz"))
    #expect(run.status == 3)
    #expect(run.stderr.contains("warning: statement fa_1 usd from 2026-01-01 does not reconcile"), "\(run.stderr)")
    #expect(run.stdout.contains("but 1 statement does not reconcile (as recorded)"), "\(run.stdout)")
    // The folder holds the same statement twice (its own files and the archive's): still one statement.
    let whole = try Self.verify(folder.file("out"))
    #expect(whole.status == 3)
    #expect(whole.stdout.contains("1 statement): "), "\(whole.stdout)")
    #expect(whole.stdout.contains("but 1 statement does not reconcile (as recorded)"), "\(whole.stdout)")
    #expect(whole.stderr.components(separatedBy: "does not reconcile").count == 2, "\(whole.stderr)")
  }

  /// Files and archives are read in parallel; the findings come out in the same order as on one core.
  @Test func folderVerifyReportsTheSameFindingsOnOneCoreOrMany() throws {
    let folder = TestSupport.TemporaryFolder()
    let out = folder.file("out")
    _ = try Self.statements(try Self.dump(folder), out, ["--archive", "--format", "csv,camt053"])
    // Damage several files in different periods, and the archive of one of them.
    let statementFolders = try FileManager.default.contentsOfDirectory(atPath: out + "/2026-02").sorted()
    try #require(statementFolders.count >= 2)
    for name in statementFolders.prefix(2) {
      let path = out + "/2026-02/" + name + "/transactions.csv"
      var text = TestSupport.text(path)
      let lastDigit = text.lastIndex { $0.isNumber }
      let digit = try #require(lastDigit)
      text.replaceSubrange(digit...digit, with: text[digit] == "9" ? "8" : "9")
      try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }
    let last = try Self.archives(out).last
    let archive = try #require(last)
    var bytes = try Data(contentsOf: URL(fileURLWithPath: archive))
    bytes[bytes.count / 2] ^= 0xFF
    try bytes.write(to: URL(fileURLWithPath: archive))
    try Data("x".utf8).write(to: URL(fileURLWithPath: out + "/stray.txt"))

    let one = FolderVerifier(path: out, jobs: 1).run().report
    let many = FolderVerifier(path: out, jobs: 4).run().report
    #expect(one.findings == many.findings)
    #expect(one.files == many.files && one.statements == many.statements)
    let locations = Set(many.findings.map(\.location))
    #expect(locations.contains(out + "/2026-02/" + statementFolders[0] + "/transactions.csv"), "\(locations)")
    #expect(locations.contains(out + "/stray.txt"), "\(locations)")
    #expect(locations.contains { $0.hasPrefix(archive) }, "\(locations)")
    // In path order, as one reader going through the folder would report them: period files, archives, extras.
    let order = many.findings.map(\.location)
    let file = order.firstIndex(of: out + "/2026-02/" + statementFolders[0] + "/transactions.csv")
    let inArchive = order.firstIndex { $0.hasPrefix(archive) }
    let stray = order.firstIndex(of: out + "/stray.txt")
    #expect(file != nil && inArchive != nil && stray != nil)
    if let file, let inArchive, let stray { #expect(file < inArchive && inArchive < stray, "\(order)") }
  }

  @Test func gzipLevelIsValidated() throws {
    let folder = TestSupport.TemporaryFolder()
    let dump = folder.write("d.jsonl", "")
    for extra in [["--gzip", "--gzip-level", "10"], ["--gzip-level", "5"]] {
      let run = try TestSupport.run("treasury-report", ["statements", dump, "--out", folder.file("o")] + extra)
      #expect(run.status == 1, "\(extra)")
      #expect(run.stderr.contains("--gzip-level"))
    }
  }
}
