import Foundation
import Testing

/// `publish` to a folder and `verify file://…`, end to end through the built binary: the behaviour the S3 tests
/// check against moto, on the local target.
@Suite(.serialized) struct PublishLocalTests {
  /// An output folder (`folder/out`) published to the folder store `folder/store`.
  private static func published(_ folder: TestSupport.TemporaryFolder) throws -> (out: String, store: String) {
    let out = try PublishSupport.statements(PublishSupport.dump(folder), folder.file("out"))
    let store = folder.file("store")
    let run = try PublishSupport.publish(out, to: store)
    #expect(run.status == 0, "\(run.stderr)")
    return (out, store)
  }

  @Test func publishThenVerifyURLPassesAndTheLayoutIsBrowsable() throws {
    let folder = TestSupport.TemporaryFolder()
    let out = try PublishSupport.statements(PublishSupport.dump(folder), folder.file("out"))
    let store = folder.file("store")
    let run = try PublishSupport.publish(out, to: "file://" + store)
    #expect(run.status == 0, "\(run.stderr)")
    let keys = TestSupport.tree(store).keys.sorted()
    // Periods under their labels with their archives beside them, the run's files under runs/<run>/.
    for month in ["2026-01", "2026-02", "2026-03"] {
      #expect(keys.contains("\(month)/\(month).tar.gz"), "\(keys)")
      #expect(keys.contains { $0.hasPrefix(month + "/fa_") && $0.hasSuffix("/transactions.csv") })
    }
    let runFiles = keys.filter { $0.hasPrefix("runs/") }
    #expect(runFiles.count == 3, "\(runFiles)")  // accounts.csv, summary.csv, manifest.json
    #expect(runFiles.allSatisfy { $0.hasPrefix("runs/2026-01_2026-03_") }, "\(runFiles)")
    #expect(!keys.contains { $0.hasPrefix("archive/") || $0 == "summary.csv" })
    // Every file of the folder is stored byte for byte.
    let source = TestSupport.tree(out)
    #expect(PublishSupport.written(run) == source.count, "\(run.stderr)")
    let stored = TestSupport.tree(store)
    #expect(stored.values.sorted { $0.count < $1.count } == source.values.sorted { $0.count < $1.count })

    let verified = try PublishSupport.verify("file://" + store)
    #expect(verified.status == 0, "\(verified.stderr)")
    #expect(verified.stdout.contains("verified \(store) ("), "\(verified.stdout)")
    #expect(verified.stdout.contains("1 publication"), "\(verified.stdout)")
    #expect(verified.stdout.contains("every object matches its manifest"), "\(verified.stdout)")
  }

  @Test func rerunPublishesNothing() throws {
    let folder = TestSupport.TemporaryFolder()
    let (out, store) = try Self.published(folder)
    let before = TestSupport.tree(store)
    let again = try PublishSupport.publish(out, to: store)
    #expect(again.status == 0, "\(again.stderr)")
    #expect(PublishSupport.written(again) == 0, "\(again.stderr)")
    #expect(again.stderr.contains("\(before.count) unchanged"), "\(again.stderr)")
    #expect(TestSupport.tree(store) == before)
    // The same statements built again (byte-identical) are the same publication.
    let rebuilt = try PublishSupport.statements(PublishSupport.dump(folder), folder.file("rebuilt"))
    #expect(PublishSupport.written(try PublishSupport.publish(rebuilt, to: store)) == 0)
  }

  @Test func runsOverDifferentMonthsShareThePrefix() throws {
    let folder = TestSupport.TemporaryFolder()
    let dump = try PublishSupport.dump(folder)
    let january = try PublishSupport.statements(dump, folder.file("jan"), ["--period", "2026-01"])
    let march = try PublishSupport.statements(dump, folder.file("mar"), ["--period", "2026-03"])
    let store = folder.file("store")
    #expect(try PublishSupport.publish(january, to: store).status == 0)
    let second = try PublishSupport.publish(march, to: store)
    #expect(second.status == 0, "\(second.stderr)")
    let runs = Set(TestSupport.tree(store).keys.filter { $0.hasPrefix("runs/") }.map { $0.split(separator: "/")[1] })
    #expect(runs.count == 2 && runs.contains { $0.hasPrefix("2026-01_") } && runs.contains { $0.hasPrefix("2026-03_") })
    let verified = try PublishSupport.verify("file://" + store)
    #expect(verified.status == 0, "\(verified.stderr)")
    #expect(verified.stdout.contains("2 publications"), "\(verified.stdout)")
  }

  @Test func oneByteChangedLocallyIsRefusedBeforeAnythingIsWritten() throws {
    let folder = TestSupport.TemporaryFolder()
    let (out, store) = try Self.published(folder)
    let before = TestSupport.tree(store)
    // A byte changed in a published file: the folder no longer matches its manifest (verify's finding, exit 2).
    let summary = out + "/summary.csv"
    var bytes = try #require(FileManager.default.contents(atPath: summary))
    bytes[bytes.count - 3] ^= 0x01
    try bytes.write(to: URL(fileURLWithPath: summary))
    let run = try PublishSupport.publish(out, to: store)
    #expect(run.status == 2, "\(run.stderr)")
    #expect(run.stderr.contains("\(summary): error: has changed"), "\(run.stderr)")
    #expect(run.stderr.contains("nothing was published"), "\(run.stderr)")
    #expect(TestSupport.tree(store) == before)
  }

  @Test func anotherOutputForTheSameMonthsIsRefusedNamingEveryConflict() throws {
    let folder = TestSupport.TemporaryFolder()
    let dump = try PublishSupport.dump(folder)
    let utc = try PublishSupport.statements(dump, folder.file("utc"))
    // The same months in another zone: same names, other bytes, and a folder that verifies.
    let tokyo = try PublishSupport.statements(dump, folder.file("tokyo"), ["--tz", "Asia/Tokyo"])
    let store = folder.file("store")
    #expect(try PublishSupport.publish(utc, to: store).status == 0)
    let before = TestSupport.tree(store)
    let run = try PublishSupport.publish(tokyo, to: store)
    #expect(run.status == 8, "\(run.stderr)")
    let conflicting = TestSupport.tree(tokyo).filter { path, data in
      guard !path.hasPrefix("archive/"), path.contains("/") else { return false }
      return before[path].map { $0 != data } ?? false
    }
    #expect(!conflicting.isEmpty)
    for path in conflicting.keys {
      #expect(run.stderr.contains("\(store)/\(path): error: different bytes are already stored"), "\(path)")
    }
    #expect(run.stderr.contains("2026-03/2026-03.tar.gz: error: different bytes"), "\(run.stderr)")
    #expect(run.stderr.contains("nothing was written"), "\(run.stderr)")
    #expect(TestSupport.tree(store) == before)
  }

  @Test func aTamperedMissingOrExtraObjectIsNamedByVerify() throws {
    let folder = TestSupport.TemporaryFolder()
    let (out, store) = try Self.published(folder)
    let keys = TestSupport.tree(store).keys.sorted()
    let tampered = try #require(keys.first { $0.hasPrefix("2026-02/fa_") && $0.hasSuffix("/transactions.csv") })
    PublishSupport.makeWritable(store + "/" + tampered)
    var bytes = try #require(FileManager.default.contents(atPath: store + "/" + tampered))
    bytes[bytes.count - 4] = bytes[bytes.count - 4] == UInt8(ascii: "1") ? UInt8(ascii: "2") : UInt8(ascii: "1")
    try bytes.write(to: URL(fileURLWithPath: store + "/" + tampered))
    let missing = try #require(keys.first { $0.hasPrefix("2026-03/fa_") && $0.hasSuffix("/entries.csv") })
    try FileManager.default.removeItem(atPath: store + "/" + missing)
    _ = FileManager.default.createFile(atPath: store + "/2026-01/notes.txt", contents: Data("x".utf8))

    let run = try PublishSupport.verify("file://" + store)
    #expect(run.status == 2, "\(run.stderr)")
    #expect(run.stderr.contains("\(store)/\(tampered): error: has changed"), "\(run.stderr)")
    #expect(run.stderr.contains("\(store)/\(missing): error: is listed in manifest.json but missing"), "\(run.stderr)")
    #expect(run.stderr.contains("\(store)/2026-01/notes.txt: error: is not listed in any manifest.json"))
    // The archive is intact, but the folder's copy of a statement differs from its member.
    #expect(
      run.stderr.contains("\(store)/2026-02/2026-02.tar.gz(\(tampered)): error: differs from \(store)/\(tampered)"))
    #expect(!run.stderr.contains("treasury-report-verify-"), "temporary paths leak: \(run.stderr)")
  }

  @Test func anUnfinishedPublishIsReportedAndARerunCompletesIt() throws {
    let folder = TestSupport.TemporaryFolder()
    let (out, store) = try Self.published(folder)
    // What a run killed before its manifest leaves: every other object, and a staging file being written.
    let manifest = try #require(TestSupport.tree(store).keys.first { $0.hasSuffix("/manifest.json") })
    try FileManager.default.removeItem(atPath: store + "/" + manifest)
    _ = FileManager.default.createFile(atPath: store + "/2026-03/.treasury-upload-killed", contents: Data(count: 100))
    let unfinished = try PublishSupport.verify("file://" + store)
    #expect(unfinished.status == 5, "\(unfinished.stderr)")
    #expect(unfinished.stderr.contains("holds no manifest.json: a publish into it did not finish"))

    let rerun = try PublishSupport.publish(out, to: store)
    #expect(rerun.status == 0, "\(rerun.stderr)")
    #expect(PublishSupport.written(rerun) == 1, "\(rerun.stderr)")
    #expect(rerun.stderr.contains("removed 1 unfinished upload"), "\(rerun.stderr)")
    #expect(!FileManager.default.fileExists(atPath: store + "/2026-03/.treasury-upload-killed"))
    #expect(try PublishSupport.verify("file://" + store).status == 0)
  }

  @Test func anEditedStoredManifestBreaksItsSeal() throws {
    let folder = TestSupport.TemporaryFolder()
    let (out, store) = try Self.published(folder)
    let manifest = try #require(TestSupport.tree(store).keys.first { $0.hasSuffix("/manifest.json") })
    PublishSupport.makeWritable(store + "/" + manifest)
    let text = TestSupport.text(store + "/" + manifest)
    try text.replacingOccurrences(of: "\"tool\"", with: "\"tool\" ").write(
      toFile: store + "/" + manifest, atomically: false, encoding: .utf8)
    let run = try PublishSupport.verify("file://" + store)
    #expect(run.status == 2, "\(run.stderr)")
    #expect(run.stderr.contains("\(store)/\(manifest): error: has sha256"), "\(run.stderr)")
    #expect(run.stderr.contains("it was changed after it was published"), "\(run.stderr)")
  }

  @Test func flagsThatCannotGoTogetherAreUsageErrors() throws {
    let folder = TestSupport.TemporaryFolder()
    let out = try PublishSupport.statements(PublishSupport.dump(folder), folder.file("out"))
    let store = folder.file("store")
    let cases: [([String], String)] = [
      (["--retain-years", "7"], "needs --lock-mode"),
      (["--lock-mode", "compliance"], "--lock-mode needs --retain-until"),
      (["--retain-years", "7", "--retain-until", "2040-01-01", "--lock-mode", "governance"], "not both"),
      (["--retain-until", "2001-01-01", "--lock-mode", "governance"], "after today"),
      (["--lock-mode", "forever", "--retain-years", "1"], "forever"),
      (["--kms-key-id", "k1"], "--kms-key-id needs --sse aws:kms"),
      (["--part-size", "1"], "--part-size"),
    ]
    for (flags, message) in cases {
      let run = try PublishSupport.publish(out, to: store, flags)
      #expect(run.status == 1, "\(flags): \(run.stderr)")
      #expect(run.stderr.contains(message), "\(flags): \(run.stderr)")
    }
    #expect(try PublishSupport.publish(out, to: out + "/published").status == 1)
    #expect(try PublishSupport.publish(out, to: "s4://bucket/x").status == 1)
    #expect(!FileManager.default.fileExists(atPath: store))
  }

  @Test func retentionOnAFolderIsAWarning() throws {
    let folder = TestSupport.TemporaryFolder()
    let out = try PublishSupport.statements(PublishSupport.dump(folder), folder.file("out"))
    let store = folder.file("store")
    let run = try PublishSupport.publish(
      out, to: store, ["--retain-years", "7", "--lock-mode", "compliance", "--sse", "aes256"])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stderr.contains("\(store): warning: a folder cannot lock or encrypt objects"), "\(run.stderr)")
  }

  @Test func plainPathsStillMeanLocalFoldersForVerify() throws {
    let folder = TestSupport.TemporaryFolder()
    let (out, store) = try Self.published(folder)
    // The output folder verifies as before; the store as a plain path is no output folder.
    #expect(try PublishSupport.verify(out).status == 0)
    let plain = try PublishSupport.verify(store)
    #expect(plain.status == 2)
    #expect(plain.stderr.contains("holds no manifest.json"), "\(plain.stderr)")
  }

  @Test func helpShowsItsExamplesLineByLine() throws {
    let run = try TestSupport.run("treasury-report", ["publish", "--help"])
    #expect(run.status == 0)
    #expect(run.stdout.contains("\nExamples:\n  treasury-report publish out --to /srv/statements\n"), "\(run.stdout)")
    #expect(!run.stdout.contains(#"\n"#), "line breaks are escaped: \(run.stdout)")
  }

  @Test func verifyLeavesNoTemporaryFolderAndRemovesOnesKilledRunsLeft() throws {
    let folder = TestSupport.TemporaryFolder()
    let (_, store) = try Self.published(folder)
    let tmp = folder.file("tmp")
    // A folder of a verify killed by a signal: its process is gone.
    let gone = Process()
    gone.executableURL = URL(fileURLWithPath: "/bin/true")
    try gone.run()
    gone.waitUntilExit()
    let abandoned = tmp + "/treasury-report-verify-\(gone.processIdentifier)-0000/objects"
    try FileManager.default.createDirectory(atPath: abandoned, withIntermediateDirectories: true)
    let run = try PublishSupport.verify("file://" + store, environment: ["TMPDIR": tmp])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: tmp).isEmpty)
  }
}
