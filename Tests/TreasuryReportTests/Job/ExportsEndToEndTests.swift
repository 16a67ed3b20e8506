import Foundation
import Testing

@testable import TreasuryJob

/// The accountant exports of the built binary (CSV profiles, OFX, BAI2, HTML), read back by independent readers
/// (Tests/reference/exports.py: csv, ofxtools, ofxdump, the bai2 parser, html.parser; xmllint with the OFX 2
/// XSDs) to the same balances and booked lines as summary.csv and transactions.csv.
@Suite(.serialized) struct ExportsEndToEndTests {
  static let golden = TestSupport.root.appendingPathComponent("Tests/TreasuryReportTests/Golden/exports").path

  private func statements(_ input: String, _ out: String, _ flags: [String]) throws {
    let run = try TestSupport.run(
      "treasury-report", ["statements", input, "--out", out, "--format", ExportSupport.allFormats] + flags)
    #expect(run.status == 0, "\(run.stderr)")
  }

  /// Every reader agrees with the CSV files; every OFX 2 file is valid; the default profile is transactions.csv.
  private func checkEverything(_ out: String) throws {
    let checked = try ExportSupport.readBack(out)
    for kind in ["bai2", "csv:quickbooks", "csv:xero", "csv:excel-eu", "html", "ofxdump", "ofxparse", "statement.ofx2"]
    {
      #expect(checked.contains(kind), "nothing of kind \(kind) was checked: \(checked)")
    }
    let files = TestSupport.tree(out)
    for path in files.keys where path.hasSuffix(".ofx2.ofx") {
      #expect(try ExportSupport.ofx2Problems(out + "/" + path) == [])
    }
    for path in files.keys where path.hasSuffix("/transactions.csv") {
      let profile = path.replacingOccurrences(of: "/transactions.csv", with: "/transactions.default.csv")
      #expect(files[profile] == files[path], "\(profile) is not byte for byte \(path)")
    }
    let verify = try TestSupport.run("treasury-report", ["verify", out])
    #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    // The manifest records each HTML page with its booked lines and each period's BAI2 file with its 16
    // records' transactions: in all, summary.csv's posted count for each.
    let rows = try CamtSupport.manifestRows(out)
    let posted = CamtSupport.total("posted_count", in: out)
    let pages = rows.filter { $0.key.hasSuffix("/statement.html") }
    let bai2 = rows.filter { $0.key.hasSuffix("/statements.bai2") }
    #expect(!pages.isEmpty && pages.values.reduce(0, +) == posted, "\(pages) against \(posted)")
    #expect(!bai2.isEmpty && bai2.values.reduce(0, +) == posted, "\(bai2) against \(posted)")
    for (path, count) in bai2 {
      let details = TestSupport.text(out + "/" + path).split(separator: "\n").count { $0.hasPrefix("16,") }
      #expect(count == details, "\(path): \(count) rows in the manifest, \(details) 16 records")
    }
  }

  @Test(
    .enabled(if: ExternalTool.exportReaders, "needs the export readers (make test-venv, ofxdump)"),
    arguments: [
      ["--tz", "UTC"], ["--tz", "America/New_York", "--list-voided"], ["--tz", "Asia/Kolkata", "--interval", "week"],
    ])
  func samplesReadBackToTheSameNumbers(flags: [String]) throws {
    let folder = TestSupport.TemporaryFolder()
    let out = folder.file("out")
    try statements(TestSupport.samples, out, flags)
    try checkEverything(out)
    // One BAI2 file per period, for every account, and one of each other file per statement.
    let summary = TestSupport.records(out + "/summary.csv")
    let files = TestSupport.tree(out).keys
    let periods = Set(summary.map { $0["period_start"] ?? "" })
    #expect(files.filter { $0.hasSuffix("/statements.bai2") }.count == periods.count)
    for stem in ["statement.ofx", "statement.ofx2.ofx", "statement.html", "transactions.quickbooks.csv"] {
      #expect(files.filter { $0.hasSuffix("/" + stem) }.count == summary.count, "\(stem)")
    }
  }

  @Test(
    .enabled(if: ExternalTool.exportReaders, "needs the export readers (make test-venv, ofxdump)"),
    arguments: [
      ("UTC", "month", UInt64(41)), ("America/Los_Angeles", "week", 42), ("Europe/Berlin", "quarter", 43),
    ])
  func generatedMessyDumpsReadBackToTheSameNumbers(tz: String, interval: String, seed: UInt64) throws {
    let folder = TestSupport.TemporaryFolder()
    try TestSupport.generate(
      into: folder.file("dump"), ["--accounts", "3", "--months", "3", "--seed", String(seed), "--messy"])
    let out = folder.file("out")
    try statements(folder.file("dump"), out, ["--tz", tz, "--interval", interval])
    try checkEverything(out)
  }

  @Test(.enabled(if: ExternalTool.exportReaders, "needs the export readers (make test-venv, ofxdump)"))
  func awkwardDescriptionsSurviveEveryFormat() throws {
    let folder = TestSupport.TemporaryFolder()
    folder.write("dump/transactions.jsonl", ExportSupport.awkwardDump().joined(separator: "\n") + "\n")
    let out = folder.file("out")
    // The test's financial_account object reports a zero balance: a cross-check that does not concern exports.
    try statements(folder.file("dump"), out, ["--period", "2026-03", "--allow-unreconciled"])
    try checkEverything(out)
    let march = out + "/2026-03/fa_1/"
    // Formulas are defused in the profiles meant for a spreadsheet, written as they are for importers; OFX 1
    // text is Windows-1252 with '?' for what it lacks.
    #expect(TestSupport.text(march + "transactions.excel-eu.csv").contains("'=SUM(A1:A9)"))
    #expect(TestSupport.text(march + "transactions.quickbooks.csv").contains("\r\n03/01/2026,=SUM(A1:A9),5000.00\r\n"))
    #expect(TestSupport.text(march + "transactions.xero.csv").contains(",=SUM(A1:A9),trxn_aw1\r\n"))
    let ofx = try #require(FileManager.default.contents(atPath: march + "statement.ofx"))
    #expect(ofx.contains(Data("Fish &amp; Chips &lt;Ltd&gt;".utf8)))
    #expect(ofx.contains(Data([0x43, 0x61, 0x66, 0xE9])))  // "Café" in Windows-1252
    #expect(!TestSupport.text(march + "statement.html").contains("<script>"))
    // Returns get BAI2's return codes; the new flow type a miscellaneous credit.
    let bai2 = TestSupport.text(out + "/2026-03/statements.bai2")
    #expect(bai2.contains("16,266,3000,0,trxn_aw13,"))
    #expect(bai2.contains("16,557,40000,0,trxn_aw14,"))
    #expect(bai2.contains("16,399,123,0,trxn_aw22,"))
    #expect(bai2.split(separator: "\n").contains { $0.hasPrefix("88,") })
  }

  @Test(.enabled(if: ExternalTool.available(ExternalTool.tar), "needs GNU tar"))
  func theSameBytesWhateverTheJobsAndWithGzipAndArchivesVerify() throws {
    let folder = TestSupport.TemporaryFolder()
    try TestSupport.generate(into: folder.file("dump"), ["--accounts", "5", "--months", "2", "--seed", "44"])
    var trees: [[String: Data]] = []
    for (i, jobs) in ["1", "4"].enumerated() {
      try statements(folder.file("dump"), folder.file("out\(i)"), ["--jobs", jobs])
      trees.append(TestSupport.tree(folder.file("out\(i)")))
    }
    #expect(trees[0] == trees[1])
    #expect(!trees[0].keys.contains { $0.contains(".bai2-parts") })
    let gz = folder.file("gz")
    try statements(folder.file("dump"), gz, ["--gzip", "--archive", "--jobs", "3"])
    let verify = try TestSupport.run("treasury-report", ["verify", gz])
    #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    let files = TestSupport.tree(gz).keys
    #expect(files.contains { $0.hasSuffix("/statements.bai2.gz") })
    #expect(files.contains { $0.hasSuffix("/statement.ofx2.ofx.gz") })
    // The archive lists each statement's files, the exports among them.
    let listing = try TestSupport.run("/usr/bin/tar", ["-tzf", gz + "/archive/2026-01.tar.gz"])
    #expect(listing.stdout.contains("2026-01/statements.bai2\n"))
    #expect(listing.stdout.contains("/transactions.excel-eu.csv\n"))
  }

  @Test func exportsAloneWriteNoOtherStatementFile() throws {
    let folder = TestSupport.TemporaryFolder()
    let out = folder.file("out")
    let run = try TestSupport.run(
      "treasury-report", ["statements", TestSupport.samples, "--out", out, "--format", "csv:xero,bai2"])
    #expect(run.status == 0, "\(run.stderr)")
    let files = TestSupport.tree(out).keys
    #expect(!files.contains { $0.hasSuffix("/transactions.csv") || $0 == "accounts.csv" })
    #expect(files.contains { $0.hasSuffix("/transactions.xero.csv") })
    let verify = try TestSupport.run("treasury-report", ["verify", out])
    #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
  }

  @Test(arguments: [
    (
      "csv:nosuch",
      "error: no CSV profile named 'nosuch' (available: default, excel-eu, quickbooks, xero); write it as csv/nosuch.json inside a folder and pass that folder as --templates\n"
    ),
    ("csv:", "--format csv:PROFILE needs a profile name"),
    ("csv:EUR", "'EUR' is not a usable profile name"),
    ("csv:usd", "'usd' is not a usable profile name"),
    ("pdf", "--format takes csv, summary, csv:PROFILE, camt053, camt053.08, ofx, ofx2, bai2 or html"),
  ])
  func badFormatsAreUsageErrors(format: String, message: String) throws {
    let folder = TestSupport.TemporaryFolder()
    let run = try TestSupport.run(
      "treasury-report", ["statements", TestSupport.samples, "--out", folder.file("out"), "--format", format])
    #expect(run.status == 1)
    #expect(run.stderr.contains(message), "\(run.stderr)")
    #expect(!FileManager.default.fileExists(atPath: folder.file("out")))
  }

  /// A missing profile's hint names where it goes: `csv/NAME.json` inside the `--templates` folder.
  @Test func aMissingProfileNamesItsPlaceInTheTemplatesFolder() throws {
    let folder = TestSupport.TemporaryFolder()
    folder.write("my-templates/csv/mine.json", #"{"columns":[{"value":"id"}]}"#)
    let run = try TestSupport.run(
      "treasury-report",
      ["statements", TestSupport.samples, "--out", "out", "--format", "csv:theirs", "--templates", "my-templates/"],
      cwd: folder.path)
    #expect(run.status == 1)
    #expect(
      run.stderr.hasPrefix(
        "error: no CSV profile named 'theirs' (available: default, excel-eu, mine, quickbooks, xero); add csv/theirs.json inside the --templates folder (my-templates/csv/theirs.json)\n"
      ), "\(run.stderr)")
  }

  /// A profile file with a mistake names the file and the key; nothing is written.
  @Test(arguments: [
    (#"{"columns":[{"header":"Date","value":"posted_date"}],"delimeter":";"}"#, "'delimeter' is not a profile option"),
    (
      #"{"columns":[{"header":"Date","value":"posted_day"}]}"#,
      "'columns[0].value' names no column value: \"posted_day\""
    ),
    (#"{"columns":[{"header":"Date","value":"id","width":3}]}"#, "'columns[0].width' is not a column option"),
    (#"{"bom":"yes","columns":[{"value":"id"}]}"#, "'bom' must be true or false"),
    (#"{"date_format":"DD.MM.","columns":[{"value":"id"}]}"#, "'date_format' must combine YYYY or YY, MM and DD"),
    (#"{"columns":[]}"#, "'columns' must be a non-empty list"),
    (#"{"columns":[{"value":"id"}"#, "is not valid JSON"),
  ])
  func aBadProfileNamesItsFileAndKey(json: String, message: String) throws {
    let folder = TestSupport.TemporaryFolder()
    let profile = folder.write("templates/csv/mine.json", json)
    let run = try TestSupport.run(
      "treasury-report",
      [
        "statements", TestSupport.samples, "--out", folder.file("out"), "--format", "csv:mine", "--templates",
        folder.file("templates"),
      ])
    #expect(run.status == 1)
    #expect(run.stderr.contains(profile + ": error: "), "\(run.stderr)")
    #expect(run.stderr.contains(message), "\(run.stderr)")
    #expect(!FileManager.default.fileExists(atPath: folder.file("out")))
  }

  /// A profile dropped into a --templates folder is used as it is, and one there replaces a built-in profile.
  @Test func aDroppedInProfileIsUsedAndOverridesTheBuiltIn() throws {
    let folder = TestSupport.TemporaryFolder()
    folder.write(
      "templates/csv/ledger-lf.json",
      #"""
      {"delimiter": "\t", "line_ending": "lf", "date_format": "YYYY/MM/DD", "thousands_separator": ",",
       "negative": "parentheses",
       "columns": [{"header": "When", "value": "posted_date"}, {"header": "In", "value": "credit"},
                   {"header": "Out", "value": "debit"}, {"header": "Net", "value": "amount"},
                   {"header": "Ccy", "value": "currency"}, {"header": "Account", "value": "financial_account"}]}
      """#)
    folder.write("templates/csv/quickbooks.json", #"{"columns": [{"header": "Only the id", "value": "id"}]}"#)
    let out = folder.file("out")
    let run = try TestSupport.run(
      "treasury-report",
      [
        "statements", TestSupport.samples, "--out", out, "--format", "csv,csv:ledger-lf,csv:quickbooks",
        "--templates", folder.file("templates"), "--tz", "America/New_York",
      ])
    #expect(run.status == 0, "\(run.stderr)")
    let mine = TestSupport.text(out + "/2026-03/fa_1NorthwindOps000001/transactions.ledger-lf.csv")
    #expect(
      mine == """
        When\tIn\tOut\tNet\tCcy\tAccount
        2026/03/03\t\t25.00\t(25.00)\tUSD\tfa_1NorthwindOps000001
        2026/03/15\t\t900.00\t(900.00)\tUSD\tfa_1NorthwindOps000001

        """)
    let quickbooks = TestSupport.text(out + "/2026-03/fa_1NorthwindOps000001/transactions.quickbooks.csv")
    #expect(quickbooks == "Only the id\r\ntrxn_1NwCardCapture00001\r\ntrxn_1NwRcvDebit0000001\r\n")
    #expect(TestSupport.text(out + "/manifest.json").contains(#""templates" : "\#(folder.file("templates"))""#))
    let verify = try TestSupport.run("treasury-report", ["verify", out])
    #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
  }

  /// A template that does not parse is a usage error at its line; a --templates HTML template replaces the page.
  @Test func htmlTemplatesFromTheTemplatesFolder() throws {
    let folder = TestSupport.TemporaryFolder()
    folder.write("bad/html/statement.mustache", "<p>{{#lines}}\n{{/line}}</p>")
    let bad = try TestSupport.run(
      "treasury-report",
      [
        "statements", TestSupport.samples, "--out", folder.file("out"), "--format", "html", "--templates",
        folder.file("bad"),
      ])
    #expect(bad.status == 1)
    #expect(bad.stderr.contains(folder.file("bad/html/statement.mustache") + ":2:"), "\(bad.stderr)")
    folder.write("good/html/statement.mustache", "{{holder}} closes at {{closing.booked}} {{currency}}\n")
    let out = folder.file("out")
    let good = try TestSupport.run(
      "treasury-report",
      ["statements", TestSupport.samples, "--out", out, "--format", "html", "--templates", folder.file("good")])
    #expect(good.status == 0, "\(good.stderr)")
    #expect(
      TestSupport.text(out + "/2026-03/fa_1NorthwindOps000001/statement.html")
        == "Northwind Bakery closes at −285.00 USD\n")
  }

  /// One statement of each format and one period's BAI2 file against golden copies, byte for byte.
  ///
  /// Rewrite them (after checking the change is intended) with
  /// `UPDATE_GOLDEN=1 swift test --filter ExportsEndToEndTests/samplesMatchTheirGoldenFiles`.
  @Test func samplesMatchTheirGoldenFiles() throws {
    let folder = TestSupport.TemporaryFolder()
    let out = folder.file("out")
    try statements(TestSupport.samples, out, ["--tz", "America/New_York"])
    let statement = "2026-03/fa_1NorthwindOps000001/"
    let files = [
      "2026-03/statements.bai2", statement + "transactions.quickbooks.csv", statement + "transactions.xero.csv",
      statement + "transactions.excel-eu.csv", statement + "statement.ofx", statement + "statement.ofx2.ofx",
      statement + "statement.html",
    ]
    for file in files {
      let goldenPath = Self.golden + "/" + file.replacingOccurrences(of: "/", with: "-")
      let produced = try #require(FileManager.default.contents(atPath: out + "/" + file))
      #expect(try Golden.file(goldenPath, produced: produced) == produced, "\(file) differs from \(goldenPath)")
    }
  }
}
