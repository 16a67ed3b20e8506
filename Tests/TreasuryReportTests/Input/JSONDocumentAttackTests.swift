import Foundation
import Testing

@_spi(Inlining) @testable import TreasuryModel
@testable import TreasuryZlib

/// Multi-object `.json` files: one bad value costs only that value, and no value or line can grow memory unbounded.
@Suite struct JSONDocumentAttackTests {
  /// A line spread over several lines, as pretty-printed dumps are.
  static func spread(_ line: String) -> String {
    line.replacingOccurrences(of: ",\"", with: ",\n  \"")
  }

  static func credit(_ i: Int, description: String = "d") -> String {
    Lines.transaction("trxn_\(i)", amount: 100 + i, description: description, flowType: "received_credit")
  }

  static func page(_ items: [String]) -> String {
    #"{"object":"list","data":[\#(items.joined(separator: ",\n"))],"has_more":false}"#
  }

  /// The 1-based line of the first occurrence of `needle` in `text`.
  static func line(of needle: String, in text: String) -> Int {
    guard let range = text.range(of: needle) else { return 0 }
    return text[..<range.lowerBound].filter { $0 == "\n" }.count + 1
  }

  /// A lone surrogate (a syntax error) in the second of six values: the other five, after it too, are read.
  @Test func aBadValueCostsOnlyThatValue() throws {
    let bad = Self.spread(Self.credit(1, description: #"\ud800"#))
    let values = [
      Self.spread(Self.credit(0)), bad, Self.spread(Self.credit(2)),
      Self.page([Self.spread(Self.credit(3)), Lines.entry("trxne_3", transaction: "trxn_3", at: 1_767_225_600)]),
      Self.credit(4) + " " + Self.credit(5),
    ]
    let text = values.joined(separator: "\n")
    let (store, invalid) = try readDump(text, name: "dump.json")
    #expect(
      store.transactions.map { store.symbols.string($0.id) }.sorted() == [
        "trxn_0", "trxn_2", "trxn_3", "trxn_4", "trxn_5",
      ])
    #expect(store.entries.count == 1)
    #expect(invalid.count == 1)
    let first = Self.line(of: "trxn_1", in: text)
    let last = first + bad.filter { $0 == "\n" }.count
    #expect(invalid.first?.line == Self.line(of: #"\ud800"#, in: text))
    #expect(
      invalid.first?.reason
        == "a \\u escape for a high surrogate must be followed by a low surrogate (column 18); the value on lines \(first) to \(last) is not used"
    )
    #expect(invalid.first?.raw == bad)
  }

  /// A top-level array, pretty-printed or on one line, is read element by element: a bad element costs only itself.
  @Test(arguments: [",\n  ", ","])
  func arraysAreReadElementByElement(separator: String) throws {
    let elements = [Self.credit(0), Self.credit(1, description: #"\ud800"#), Self.credit(2), Self.credit(3)]
    let text = "[\n  " + elements.joined(separator: separator) + "\n]\n"
    let (store, invalid) = try readDump(text, name: "array.json")
    #expect(store.transactions.count == 3)
    #expect(invalid.count == 1)
    #expect(invalid.first?.raw == elements[1])
    #expect(invalid.first?.reason.hasPrefix("a \\u escape for a high surrogate") == true)
  }

  /// Broken framing between values is reported where it is, and the values around it are still read.
  @Test func brokenFramingIsReportedAndTheValuesAroundItAreRead() throws {
    let text = "[" + Self.credit(0) + "\n" + Self.credit(1) + ",]\n], " + Self.credit(2) + "\n5\n"
    let (store, invalid) = try readDump(text, name: "framing.json")
    #expect(store.transactions.count == 3)
    #expect(
      invalid.map(\.message) == [
        "\(invalid.first?.file ?? ""):2: error: expected ',' or ']' after an array element, found '{' (column 1)",
        "\(invalid.first?.file ?? ""):2: error: expected a value after ',', found ']' (column \(Self.credit(1).utf8.count + 2))",
        "\(invalid.first?.file ?? ""):3: error: expected a Stripe object or list page ('{'), found ']' (column 1)",
        "\(invalid.first?.file ?? ""):3: error: expected a Stripe object or list page ('{'), found ',' (column 2)",
        "\(invalid.first?.file ?? ""):4: error: expected a Stripe object or list page ('{'), found '5' (column 1)",
      ])
  }

  /// An array cut short (a truncated download, say) keeps its complete elements and says that it never ended.
  @Test func aTruncatedArrayIsReported() throws {
    let text = "[\n" + Self.credit(0) + ",\n" + Self.credit(1) + "\n"
    let (store, invalid) = try readDump(text, name: "cut.json")
    #expect(store.transactions.count == 2)
    #expect(
      invalid.map(\.message) == [
        "\(invalid.first?.file ?? ""):4: error: expected ',' or ']': the array opened on line 1 does not end before the end of the file (column 1)"
      ])
  }

  /// A value that never closes is the rest of the file: reported as such, and the values before it are kept.
  @Test func aValueThatNeverEndsIsTheRestOfTheFile() throws {
    let text =
      Self.spread(Self.credit(0)) + "\n" + Self.spread(Self.credit(1)) + "\n{\"id\": \"trxn_2\",\n  \"amount\": [1,\n"
    let (store, invalid) = try readDump(text, name: "cut.json")
    #expect(store.transactions.count == 2)
    let start = Self.line(of: "trxn_2", in: text)
    #expect(invalid.count == 1)
    #expect(
      invalid.first?.reason.hasSuffix(
        "; the value from line \(start) does not end before the end of the file, so the rest of the file is not used")
        == true, "\(invalid)")
    #expect(invalid.first?.raw == "{\"id\": \"trxn_2\",\n  \"amount\": [1,\n")
  }

  /// The old behaviour dropped every value after the bad one; end to end with --skip-invalid, the report counts
  /// every good value and rejects.jsonl holds the bad one alone.
  @Test func skipInvalidSetsAsideOnlyTheBadValue() throws {
    let folder = TestSupport.TemporaryFolder()
    let values = (0..<8).map { Self.spread(Self.credit($0, description: $0 == 2 ? #"\ud800"# : "d")) }
    folder.write("acct_1Doc/dump.json", values.joined(separator: "\n"))
    let run = try TestSupport.run(
      "treasury-report",
      ["statements", "acct_1Doc", "--out", "out", "--skip-invalid", "--format", "summary", "--allow-unreconciled"],
      cwd: folder.path)
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stderr.contains(": 7 objects: 7 transactions"), "\(run.stderr)")
    let rejects = TestSupport.text(folder.file("out/rejects.jsonl")).split(separator: "\n")
    #expect(rejects.count == 1)
    #expect(rejects.first?.contains("trxn_2") == true)
  }

  /// A 300 KB line of 100,001 empty objects in a list page (or of balance amounts) would become 100,001 objects and
  /// messages in memory (a 64 MiB one, 21 million: 20 GB): the line is one error instead.
  @Test(arguments: [
    #"{"object":"list","data":["# + Array(repeating: "{}", count: 100_001).joined(separator: ",") + "]}",
    #"{"object":"treasury.financial_account","id":"fa_1","livemode":false,"balance":{"cash":{"#
      + (0..<100_001).map { #""c\#($0)":1"# }.joined(separator: ",") + "}}}",
  ])
  func aValueWithTooManyObjectsIsOneError(line: String) throws {
    let (store, invalid) = try readDump(line)
    #expect(store.financialAccounts.isEmpty)
    #expect(invalid.count == 1)
    #expect(
      invalid.first?.reason.hasPrefix(
        "more than 100000 objects or amounts in one value; a Stripe list page holds at most 100 (column ") == true,
      "\(invalid.first?.reason.prefix(200) ?? "")")
  }

  /// A 100 KiB .json.gz that expands to 80 MiB inside one string: refused at 64 MiB, not read into memory whole.
  @Test func aGzipBombInOneValueIsRefusedAtTheLimit() throws {
    let folder = TestSupport.TemporaryFolder()
    var bomb: [UInt8] = []
    let deflater = try Deflater(level: 9)
    let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1 << 20)
    try Array("{\"object\": \"x\", \"pad\": \"".utf8).withUnsafeBytes {
      try deflater.deflate($0, finish: false) { bomb += $0 }
    }
    for i in 0..<80 {
      try chunk.withUnsafeBytes { try deflater.deflate($0, finish: i == 79) { bomb += $0 } }
    }
    #expect(bomb.count < 200_000)
    try? FileManager.default.createDirectory(atPath: folder.file("acct_1Gz"), withIntermediateDirectories: true)
    _ = FileManager.default.createFile(atPath: folder.file("acct_1Gz/bomb.json.gz"), contents: Data(bomb))
    let run = try TestSupport.run("treasury-report", ["statements", "acct_1Gz", "--out", "out"], cwd: folder.path)
    #expect(run.status == 2)
    #expect(
      run.stderr.hasPrefix(
        "acct_1Gz/bomb.json.gz:1: error: a JSON value starting on this line is longer than 64 MiB; a Stripe object or list page is far smaller"
      ), "\(run.stderr)")
  }

  /// A JSON-lines file with no newline in its first 80 MiB (sparse: zeros, no disk): refused at 64 MiB.
  @Test func aLineLongerThanTheLimitIsRefused() throws {
    let folder = TestSupport.TemporaryFolder()
    try? FileManager.default.createDirectory(atPath: folder.file("acct_1Long"), withIntermediateDirectories: true)
    let path = folder.file("acct_1Long/long.jsonl")
    _ = FileManager.default.createFile(atPath: path, contents: nil)
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    try handle.truncate(atOffset: 80 << 20)
    try handle.close()
    // Below the partition threshold: one reader takes the whole file (no newline-counting pass first).
    let run = try TestSupport.run(
      "treasury-report", ["statements", "acct_1Long", "--out", "out", "--partition-threshold-mib", "128"],
      cwd: folder.path)
    #expect(run.status == 2)
    #expect(
      run.stderr.hasPrefix("acct_1Long/long.jsonl:1: error: line is longer than 64 MiB; is this a JSON-lines dump?"),
      "\(run.stderr)")
  }
}
