import Foundation
import Testing

@testable import TreasuryInput
@testable import TreasuryJob

/// Standard input is read like a file of the same bytes: the same two-phase path over the partition threshold (so
/// memory does not follow the input), the same outputs, and `-` in every message and in the manifest.
@Suite struct StandardInputAttackTests {
  /// A pipe has no size: standard input is copied beside the output first, so that its size decides the two-phase
  /// path (whose memory follows one partition, not the input) exactly as a file's does.
  @Test func standardInputCountsTowardsThePartitionThresholdLikeAFile() throws {
    let folder = TestSupport.TemporaryFolder()
    let text = Lines.receivedCredits(2_000).joined(separator: "\n") + "\n"
    let input = folder.write("in.jsonl", text)
    var catalog = try InputCatalog.discover(["-", input], defaultAccount: "")
    #expect(catalog.files.map(\.size) == [0, text.utf8.count])
    let descriptor = open(input, O_RDONLY)
    defer { close(descriptor) }
    let copy = try #require(try StandardInputCopy.make(for: &catalog, in: folder.path, from: descriptor))
    #expect(catalog.files.map(\.size) == [text.utf8.count, text.utf8.count])
    #expect(FileManager.default.contents(atPath: copy) == Data(text.utf8))
    let threshold = text.utf8.count - 1
    for file in catalog.files {
      #expect(PartitionedUnit.isLarge(Unit(account: "", files: [(0, file)]), threshold: threshold))
    }
    // Without `-` among the inputs nothing is copied.
    var files = try InputCatalog.discover([input], defaultAccount: "")
    #expect(try StandardInputCopy.make(for: &files, in: folder.path, from: descriptor) == nil)
  }

  /// The same statements, bytes, digest and line count from standard input as from the file, in memory and in two
  /// phases (where big inputs are read in ranges), and nothing of the copy left in the output.
  @Test(arguments: ["64", "0"])
  func standardInputGivesTheSameOutputAsTheFile(threshold: String) throws {
    let folder = TestSupport.TemporaryFolder()
    let dump = folder.write("all.jsonl", Lines.receivedCredits(3_000).joined(separator: "\n") + "\n")
    let flags = ["--partition-threshold-mib", threshold, "--no-progress", "--allow-unreconciled"]
    for name in ["a", "b"] {
      try FileManager.default.createDirectory(atPath: folder.file(name), withIntermediateDirectories: false)
    }
    let file = try TestSupport.run(
      "treasury-report", ["statements", dump, "--out", "out"] + flags, cwd: folder.file("a"))
    let stdin = try TestSupport.run(
      "treasury-report", ["statements", "-", "--out", "out"] + flags, cwd: folder.file("b"),
      stdin: FileManager.default.contents(atPath: dump))
    #expect(file.status == 0 && stdin.status == 0, "\(file.stderr)\n\(stdin.stderr)")
    var fromFile = TestSupport.tree(folder.file("a/out"))
    var fromStdin = TestSupport.tree(folder.file("b/out"))
    let manifests = (fromFile.removeValue(forKey: "manifest.json"), fromStdin.removeValue(forKey: "manifest.json"))
    #expect(!fromStdin.isEmpty && fromFile == fromStdin)
    #expect(fromStdin.keys.allSatisfy { !$0.hasPrefix(".") && !$0.contains("/.") })
    let fileManifest = String(decoding: manifests.0 ?? Data(), as: UTF8.self)
    let stdinManifest = String(decoding: manifests.1 ?? Data(), as: UTF8.self)
    #expect(stdinManifest.contains(#""path" : "-""#), "\(stdinManifest.prefix(600))")
    #expect(fileManifest.replacingOccurrences(of: dump, with: "-") == stdinManifest)
  }

  /// Over the threshold, messages still say `-:LINE`, never the path of a copy.
  @Test(arguments: ["64", "0"])
  func messagesNameStandardInput(threshold: String) throws {
    let folder = TestSupport.TemporaryFolder()
    let dump = folder.write(
      "in.jsonl",
      [
        Lines.transaction("trxn_1", amount: 5, flowType: "received_credit"), "{\"id\": oops}",
        Lines.transaction("trxn_2", amount: 5, flowType: "received_credit"),
      ].joined(separator: "\n"))
    let run = try TestSupport.run(
      "treasury-report", ["statements", "-", "--out", "out", "--partition-threshold-mib", threshold],
      cwd: folder.path, stdin: FileManager.default.contents(atPath: dump))
    #expect(run.status == 2)
    #expect(run.stderr.hasPrefix("-:2: error: expected a JSON value, found 'o' (column 8)\n"), "\(run.stderr)")
    #expect((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) == ["in.jsonl"])
  }
}
