import Foundation
import Testing

@_spi(Inlining) @testable import TreasuryModel
@testable import TreasuryOutput
@testable import TreasuryValidate

/// `validate` against documents built to expand: entities declared in a DOCTYPE and used thousands of times
/// (the quadratic blowup), nested ten deep (billion laughs), external ones (XXE), in UTF-8 and UTF-16. Each
/// must be refused at its DOCTYPE with one clear problem, exit 2, at once and in small memory, with no
/// libxml2 noise (issue 11, item 12).
@Suite struct ValidateAttackTests {
  static let memoryBound = 100

  /// A camt.053 statement this tool wrote, as text: `<?xml …?>` line first.
  private static func statement(_ folder: TestSupport.TemporaryFolder) throws -> String {
    let out = folder.file("out")
    let run = try TestSupport.run(
      "treasury-report", ["statements", TestSupport.samples, "--out", out, "--format", "camt053"])
    #expect(run.status == 0, "\(run.stderr)")
    return TestSupport.text(out + "/2026-03/fa_1BlueHarborMain0002/statement.camt053.xml")
  }

  /// The statement with `doctype` on line 2 and its first MsgId replaced by `body`.
  private static func hostile(_ statement: String, doctype: String, body: String) throws -> String {
    let lines = statement.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
    var rest = String(lines[1])
    let start = try #require(rest.range(of: "<MsgId>"))
    let end = try #require(rest.range(of: "</MsgId>"))
    rest.replaceSubrange(start.upperBound..<end.lowerBound, with: body)
    return lines[0] + "\n" + doctype + "\n" + rest
  }

  private static func validate(_ path: String) throws -> BoundedRun.Result {
    let run = try BoundedRun.run("treasury-report", ["validate", path], timeout: 120)
    #expect(!run.timedOut, "validate \(path) was still running after 120 s")
    return run
  }

  /// One problem at the DOCTYPE's line, the summary line, nothing else.
  private static func expectRefused(_ run: BoundedRun.Result, _ path: String) {
    #expect(run.status == 2)
    let lines = run.stderr.split(separator: "\n")
    #expect(
      lines.first?.hasPrefix("\(path):2: error: the document has a DOCTYPE, which validate refuses") == true,
      "\(run.stderr.prefix(2000))")
    #expect(lines.count == 2, "\(lines.count) lines: \(run.stderr.prefix(2000))")
    #expect(run.stdout.contains("\(path): invalid camt.053: 1 problem"), "\(run.stdout)")
    #expect(run.peakMiB < Self.memoryBound, "peak \(run.peakMiB) MiB")
  }

  @Test func oneBigEntityUsedThousandsOfTimesIsRefusedAtTheDoctype() throws {
    let folder = TestSupport.TemporaryFolder()
    let text = try Self.hostile(
      try Self.statement(folder),
      doctype: "<!DOCTYPE Document [<!ENTITY e \"\(String(repeating: "A", count: 20_000))\">]>",
      body: String(repeating: "&e;", count: 2_000))
    let path = folder.write("quadratic.xml", text)
    Self.expectRefused(try Self.validate(path), path)
  }

  @Test func billionLaughsIsRefusedAtTheDoctype() throws {
    let folder = TestSupport.TemporaryFolder()
    var doctype = "<!DOCTYPE Document [<!ENTITY l0 \"lol\">"
    for i in 1...9 { doctype += "<!ENTITY l\(i) \"\(String(repeating: "&l\(i - 1);", count: 10))\">" }
    doctype += "]>"
    let path = folder.write("laughs.xml", try Self.hostile(try Self.statement(folder), doctype: doctype, body: "&l9;"))
    Self.expectRefused(try Self.validate(path), path)
  }

  @Test func anExternalEntityIsRefusedUnread() throws {
    let folder = TestSupport.TemporaryFolder()
    let secret = folder.write("secret.txt", "secret-value-42")
    let path = folder.write(
      "xxe.xml",
      try Self.hostile(
        try Self.statement(folder), doctype: "<!DOCTYPE Document [<!ENTITY x SYSTEM \"file://\(secret)\">]>",
        body: "&x;"))
    let run = try Self.validate(path)
    Self.expectRefused(run, path)
    #expect(!run.stderr.contains("secret-value-42") && !run.stdout.contains("secret-value-42"))
  }

  /// The refusal does not depend on the bytes spelling `<!DOCTYPE` in ASCII: libxml2 decodes, then refuses.
  @Test func aUTF16DocumentWithADoctypeIsRefused() throws {
    let folder = TestSupport.TemporaryFolder()
    let text = try Self.hostile(
      try Self.statement(folder),
      doctype: "<!DOCTYPE Document [<!ENTITY e \"\(String(repeating: "A", count: 20_000))\">]>",
      body: String(repeating: "&e;", count: 300)
    ).replacingOccurrences(of: "encoding=\"UTF-8\"", with: "encoding=\"UTF-16\"")
    let path = folder.file("utf16.xml")
    try #require(text.data(using: .utf16)).write(to: URL(fileURLWithPath: path))
    Self.expectRefused(try Self.validate(path), path)
  }

  /// One text of 8 MiB, split by comments so that no text node reaches libxml2's 10 MB bound, in a gzip file
  /// of kilobytes: refused at 1 MiB, in small memory (it took 213 s and 230 MB at 64 MiB).
  @Test func aHugeTextSplitByCommentsIsRefusedPastItsLimit() throws {
    let folder = TestSupport.TemporaryFolder()
    let piece = String(repeating: "a", count: 1 << 20) + "<!---->"
    let text = try Self.hostile(try Self.statement(folder), doctype: "", body: String(repeating: piece, count: 8))
    let path = folder.file("long.xml.gz")
    let memory = MemoryTarget()
    let gzip = try GzipTarget(into: memory, level: 9)
    try Array(text.utf8).withUnsafeBytes { try gzip.write($0) }
    try gzip.finish()
    try Data(memory.bytes).write(to: URL(fileURLWithPath: path))
    let run = try Self.validate(path)
    #expect(run.status == 2)
    #expect(
      run.stderr.contains(
        "\(path):6: error: /Document/BkToCstmrStmt/GrpHdr/MsgId: the element's text is longer than 1 MiB"),
      "\(run.stderr.prefix(2000))")
    #expect(run.peakMiB < Self.memoryBound, "peak \(run.peakMiB) MiB")
  }

  @Test func aNamespaceOfKilobytesIsRefused() throws {
    let long = "urn:" + String(repeating: "n", count: 2000)
    let text = """
      <?xml version="1.0" encoding="UTF-8"?>
      <Document xmlns="\(Camt053Version.v02.namespace)">
      <x:a xmlns:x="\(long)"><x:a><x:a/></x:a></x:a>
      </Document>
      """
    let report = try Camt053Validator.validate(name: "ns.xml") { MemorySource(Array(text.utf8)) }
    #expect(
      report.problems.contains {
        $0.line == 3 && $0.path == "/Document"
          && $0.message.hasPrefix("an element name or namespace longer than 1024 bytes")
      }, "\(report.problems)")
  }

  /// Parser errors met while the schema validates (far into the document) reach the report with their line;
  /// they used to be lost, leaving "cannot be read as XML" with no line.
  @Test func aTagMismatchFarIntoTheDocumentIsReportedWithItsLine() throws {
    let folder = TestSupport.TemporaryFolder()
    var text = try Self.statement(folder)
    let start = try #require(text.range(of: "<Stmt>"))
    text.insert(
      contentsOf: String(repeating: "<!-- \(String(repeating: "x", count: 100)) -->\n", count: 500),
      at: start.lowerBound)
    let end = try #require(text.range(of: "</Stmt>"))
    let line = text[..<end.lowerBound].filter { $0 == "\n" }.count + 1
    text.replaceSubrange(end, with: "</Stmtx>")
    let report = try Camt053Validator.validate(name: "deep.xml") { MemorySource(Array(text.utf8)) }
    #expect(
      report.problems.contains { $0.line == line && $0.message.contains("Opening and ending tag mismatch") },
      "\(report.problems)")
  }

  /// Without a DOCTYPE an entity reference names nothing: a parse error, nothing expanded.
  @Test func anUndeclaredEntityIsAParseError() throws {
    let folder = TestSupport.TemporaryFolder()
    let statement = try Self.statement(folder)
    let lines = statement.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
    let path = folder.write(
      "undeclared.xml", lines[0] + "\n" + String(lines[1]).replacingOccurrences(of: "<MsgId>", with: "<MsgId>&e;"))
    let run = try Self.validate(path)
    #expect(run.status == 2)
    #expect(run.stderr.contains("Entity 'e' not defined"), "\(run.stderr)")
    #expect(run.stderr.split(separator: "\n").count < 10, "\(run.stderr)")
  }
}
