import Foundation
import Testing

/// Dumps joined with `cat` keep each file's byte order mark at the start of a line mid-stream: read as at the start
/// of a file, on every path (standard input, a file read whole, a big file read in parallel ranges).
@Suite struct ByteOrderMarkTests {
  static let bom = "\u{FEFF}"

  /// 3,000 received credits with their entries, as `count` files' worth of lines; each file's first line starts
  /// with a byte order mark when `marked`.
  static func dump(files count: Int, marked: Bool) -> String {
    var lines: [String] = []
    for i in 0..<3000 {
      lines.append(
        Lines.transaction("trxn_\(i)", amount: 100 + i, created: 1_767_225_600 + i * 900, flowType: "received_credit"))
      lines.append(
        Lines.entry(
          "trxne_\(i)", transaction: "trxn_\(i)", at: 1_767_225_600 + i * 900, cash: 100 + i, type: "received_credit"))
    }
    let perFile = lines.count / count
    return lines.enumerated().map { (index, line) in
      (marked && index % perFile == 0 ? bom : "") + line + "\n"
    }.joined()
  }

  /// Every output file but the manifest (which names the inputs).
  static func outputs(_ folder: String) -> [String: Data] {
    TestSupport.tree(folder).filter { $0.key != "manifest.json" }
  }

  @Test func concatenatedFilesOnStandardInput() throws {
    let folder = TestSupport.TemporaryFolder()
    folder.write("plain/acct_1Bom/all.jsonl", Self.dump(files: 1, marked: false))
    let plain = try TestSupport.run("treasury-report", ["statements", "plain", "--out", "a"], cwd: folder.path)
    #expect(plain.status == 0, "\(plain.stderr)")
    let piped = try TestSupport.run(
      "treasury-report", ["statements", "-", "--account", "acct_1Bom", "--out", "b"], cwd: folder.path,
      stdin: Data(Self.dump(files: 6, marked: true).utf8))
    #expect(piped.status == 0, "\(piped.stderr)")
    #expect(!piped.stderr.contains("0xEF"), "\(piped.stderr)")
    #expect(Self.outputs(folder.file("b")) == Self.outputs(folder.file("a")))
  }

  /// A file past the partition threshold is cut into byte ranges at line starts; a range may begin on a marked
  /// line, and every marked line is still read.
  @Test(arguments: ["0", "64"])
  func concatenatedFileReadWholeOrInRanges(threshold: String) throws {
    let folder = TestSupport.TemporaryFolder()
    folder.write("plain/acct_1Bom/all.jsonl", Self.dump(files: 1, marked: false))
    folder.write("marked/acct_1Bom/all.jsonl", Self.dump(files: 30, marked: true))
    for input in ["plain", "marked"] {
      let run = try TestSupport.run(
        "treasury-report",
        ["statements", input, "--out", "out-" + input, "--partition-threshold-mib", threshold, "--jobs", "2"],
        cwd: folder.path)
      #expect(run.status == 0, "\(input): \(run.stderr)")
    }
    #expect(Self.outputs(folder.file("out-marked")) == Self.outputs(folder.file("out-plain")))
  }
}
