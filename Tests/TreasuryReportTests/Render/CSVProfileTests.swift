import Foundation
import Testing

@testable import TreasuryJob
@_spi(Inlining) @testable import TreasuryModel
@testable import TreasuryRender

private let mar1: Int64 = 1_772_323_200  // 2026-03-01T00:00:00Z
private let mar5: Int64 = 1_772_668_800

@Suite struct CSVProfileTests {
  @Test func everyBuiltInProfileParses() throws {
    let library = try TemplateLibrary(folder: nil)
    #expect(library.profileNames == ["default", "excel-eu", "quickbooks", "xero"])
    let quickbooks = try library.profile("quickbooks")
    #expect(quickbooks.columns.map(\.header) == ["Date", "Description", "Amount"])
    #expect(quickbooks.dateFormat.string(CivilDate(year: 2026, month: 3, day: 5)) == "03/05/2026")
    let xero = try library.profile("xero")
    #expect(xero.columns.map(\.header) == ["*Date", "*Amount", "Payee", "Description", "Reference"])
    #expect(xero.columns.last?.value == .id)
    let eu = try library.profile("excel-eu")
    #expect(eu.delimiter == UInt8(ascii: ";") && eu.decimalMark == UInt8(ascii: ",") && eu.byteOrderMark)
    #expect(eu.dateFormat.string(CivilDate(year: 2026, month: 3, day: 5)) == "05/03/2026")
    #expect(try library.htmlStatement().template.description.contains("<!DOCTYPE html>"))
  }

  /// The default profile is transactions.csv, byte for byte, whatever the descriptions hold.
  @Test(arguments: [
    "Invoice 42", #"=SUM(A1), \"quoted\""#, #"line\nbreak"#, "-12 minus", "@at", "+plus", "Café 💸", "",
    #"\ttab first"#, #"\rcr first"#,
  ])
  func theDefaultProfileIsTransactionsCSV(description: String) throws {
    let lines = [
      financialAccountLine(),
      Lines.transaction("trxn_a", amount: 10000, created: Int(mar5), posted: Int(mar5), description: description),
      Lines.entry("trxne_a", transaction: "trxn_a", at: Int(mar5), cash: 10000),
      Lines.transaction("trxn_b", amount: -2550, created: Int(mar5) + 9, posted: Int(mar5) + 9, description: "x,y"),
      Lines.entry("trxne_b", transaction: "trxn_b", at: Int(mar5) + 9, cash: -2550),
    ]
    let (statements, symbols) = try CamtSupport.statements(lines, zone: "America/New_York", from: mar1, through: mar5)
    let statement = try #require(statements.first)
    let time = LocalTimeFormatter(zone: try #require(TimeZone(identifier: "America/New_York")))
    let own = MemoryTarget()
    let ownRows = try TransactionsCSV.render(statement, symbols: symbols, time: time, to: own)
    let profiled = MemoryTarget()
    let profile = ProfileCSV(profile: try TemplateLibrary(folder: nil).profile("default"))
    let rows = try profile.render(statement, symbols: symbols, time: time, to: profiled)
    #expect(rows == ownRows && rows == 2)
    #expect(profiled.bytes == own.bytes)
  }

  private func parse(_ json: String) throws(TemplateError) -> CSVProfile {
    try CSVProfile.parse(Array(json.utf8), name: "mine", file: "templates/csv/mine.json")
  }

  @Test(arguments: [
    (
      #"{"columns":[{"value":"id"}],"colour":"red"}"#,
      "templates/csv/mine.json: error: 'colour' is not a profile option"
    ),
    (#"{"columns":[{"value":"iban"}]}"#, "templates/csv/mine.json: error: 'columns[0].value' names no column value"),
    (#"{"columns":[{"value":"id","format":"x"}]}"#, "'columns[0].format' is not a column option (header, value)"),
    (#"{"columns":[{"value":"id"}],"header":"yes"}"#, "'header' must be true or false"),
    (#"{"columns":[{"value":"id"}],"bom":1}"#, "'bom' must be true or false"),
    (#"{"columns":[{"value":7}]}"#, "'columns[0].value' must be a string"),
    (#"{"columns":[{"header":"x"}]}"#, "'columns[0].value' is missing"),
    (#"{"columns":[{"value":"id"}],"delimiter":";;"}"#, "'delimiter' must be one printable ASCII character"),
    (#"{"columns":[{"value":"id"}],"delimiter":"\""}"#, "'delimiter' must be one printable ASCII character"),
    // The formula guard is an apostrophe: as the delimiter, it would split guarded cells.
    (
      #"{"columns":[{"value":"id"}],"delimiter":"'"}"#,
      "templates/csv/mine.json: error: 'delimiter' must be one printable ASCII character (or a tab) other than a double quote or an apostrophe"
    ),
    (#"{"columns":[{"value":"id"}],"decimal_mark":";"}"#, "'decimal_mark' must be \".\" or \",\""),
    (#"{"columns":[{"value":"id"}],"decimal_mark":","}"#, "'delimiter' must differ from the decimal mark"),
    (#"{"columns":[{"value":"id"}],"thousands_separator":"."}"#, "'thousands_separator' must differ"),
    (#"{"columns":[{"value":"id"}],"line_ending":"cr"}"#, "'line_ending' must be \"crlf\" or \"lf\""),
    (#"{"columns":[{"value":"id"}],"negative":"red"}"#, "'negative' must be \"minus\" or \"parentheses\""),
    (#"{"columns":[{"value":"id"}],"date_format":"YYYY-MM"}"#, "'date_format' must combine"),
    (#"{"columns":[{"value":"id"}],"date_format":"YYYY-MM-DDx"}"#, "'date_format' must combine"),
    (#"{"columns":{}}"#, "'columns' must be"),
    (#"{"columns":[{"value":"id"}],"formula_guard":"no"}"#, "'formula_guard' must be true or false"),
    // The impact columns were renamed: an old profile is told the new name rather than dropping the column.
    (
      #"{"columns":[{"value":"cash"}]}"#,
      "'columns[0].value' \"cash\" is now \"impact_cash\" (the transaction's whole balance impact"
    ),
    (#"{"columns":[{"value":"outbound_pending"}]}"#, "\"outbound_pending\" is now \"impact_outbound_pending\""),
    (#"[1,2]"#, "templates/csv/mine.json: error: must hold one JSON object"),
    ("{", "templates/csv/mine.json: error: is not valid JSON"),
  ])
  func mistakesNameTheFileAndTheKey(json: String, message: String) {
    do {
      _ = try parse(json)
      Issue.record("accepted \(json)")
    } catch {
      #expect(error.message.contains(message), "\(error.message)")
    }
  }

  @Test func profileNamesCannotLookLikeCurrencies() {
    #expect(CSVProfile.isValidName("xero") && CSVProfile.isValidName("excel-eu") && CSVProfile.isValidName("q2"))
    #expect(CSVProfile.isValidName("ab") && CSVProfile.isValidName("abc1"))
    for name in ["eur", "usd", "", "Xero", "a b", "../x", "-x", "x.y", String(repeating: "a", count: 41)] {
      #expect(!CSVProfile.isValidName(name), "\(name)")
    }
  }

  @Test func amountStyles() {
    let plain = AmountStyle()
    #expect(plain.isPlain && plain.string(-123456, digits: 2) == "-1234.56")
    let eu = AmountStyle(decimalMark: UInt8(ascii: ","), thousandsSeparator: UInt8(ascii: "."))
    #expect(eu.string(123_456_789, digits: 2) == "1.234.567,89")
    #expect(eu.string(-5, digits: 2) == "-0,05")
    #expect(eu.string(100_000, digits: 2) == "1.000,00")
    #expect(eu.string(99_999, digits: 2) == "999,99")
    let parentheses = AmountStyle(thousandsSeparator: UInt8(ascii: ","), negative: .parentheses)
    #expect(parentheses.string(-1_000_000, digits: 0) == "(1,000,000)")
    #expect(parentheses.string(1_234_567, digits: 3) == "1,234.567")
    #expect(parentheses.string(0, digits: 2) == "0.00")
    let print = AmountStyle(thousandsSeparator: UInt8(ascii: ","), minusSign: Array("\u{2212}".utf8))
    #expect(print.string(-28_500, digits: 2) == "\u{2212}285.00")
    #expect(print.string(Int64.min, digits: 2) == "\u{2212}92,233,720,368,547,758.08")
  }

  @Test func datePatterns() throws {
    let date = CivilDate(year: 2026, month: 1, day: 9)
    #expect(try #require(DatePattern("MM/DD/YYYY")).string(date) == "01/09/2026")
    #expect(try #require(DatePattern("DD.MM.YY")).string(date) == "09.01.26")
    #expect(try #require(DatePattern("YYYYMMDD")).string(date) == "20260109")
    #expect(DatePattern.iso.string(date) == "2026-01-09")
    for bad in ["", "MM/DD", "YYYY-MM-DD-DD", "YYYY/MM/DD hh", "YYYY\"MM\"DD", "YYYY-MM-DDé"] {
      #expect(DatePattern(bad) == nil, "\(bad)")
    }
  }

  /// Separate credit and debit columns, parentheses, a tab delimiter and LF: every option changes the bytes.
  @Test func aProfileShapesEveryCell() throws {
    let profile = try parse(
      #"""
      {"delimiter":"\t","line_ending":"lf","bom":true,"header":false,"date_format":"DD/MM/YY",
       "decimal_mark":",","thousands_separator":".","negative":"parentheses",
       "columns":[{"value":"posted_date"},{"value":"credit"},{"value":"debit"},{"value":"amount"},
                  {"value":"running_booked_balance"},{"value":"description"},{"value":"empty"},{"value":"currency"}]}
      """#)
    let lines = [
      financialAccountLine(),
      Lines.transaction(
        "trxn_a", amount: 123_456, created: Int(mar5), posted: Int(mar5), description: #"tab\there, \"q\""#),
      Lines.entry("trxne_a", transaction: "trxn_a", at: Int(mar5), cash: 123_456),
      Lines.transaction("trxn_b", amount: -200_000, created: Int(mar5) + 1, posted: Int(mar5) + 1, description: "b"),
      Lines.entry("trxne_b", transaction: "trxn_b", at: Int(mar5) + 1, cash: -200_000),
    ]
    let (statements, symbols) = try CamtSupport.statements(lines, from: mar1, through: mar5)
    let target = MemoryTarget()
    let rows = try ProfileCSV(profile: profile).render(
      try #require(statements.first), symbols: symbols, time: LocalTimeFormatter(zone: TimeZone(identifier: "UTC")!),
      to: target)
    #expect(rows == 2)
    #expect(
      target.bytes == [0xEF, 0xBB, 0xBF]
        + Array(
          "05/03/26\t1.234,56\t\t1.234,56\t1.234,56\t\"tab\there, \"\"q\"\"\"\t\tUSD\n05/03/26\t\t2.000,00\t(2.000,00)\t(765,44)\tb\t\tUSD\n"
            .utf8))
  }

  /// Each shipped profile says whether it is meant for a spreadsheet (formula guard on) or an importer (off),
  /// in its description as in its setting.
  @Test func shippedProfilesSetTheFormulaGuardForTheirReader() throws {
    let library = try TemplateLibrary(folder: nil)
    for (name, guarded) in [("default", true), ("excel-eu", true), ("quickbooks", false), ("xero", false)] {
      #expect(try library.profile(name).formulaGuard == guarded, "\(name)")
      let file = TestSupport.text(TestSupport.root.appendingPathComponent("templates/csv/\(name).json").path)
      #expect(file.contains(#""formula_guard": \#(guarded)"#), "\(name)")
      #expect(file.contains(guarded ? "Meant for a spreadsheet" : "Read by an importer, not a spreadsheet"), "\(name)")
    }
  }

  /// With the guard, text cells that start like a formula get a leading apostrophe; without it, they are
  /// written as they are (still quoted when they hold a quote or the delimiter); numbers never change.
  @Test(arguments: [true, false])
  func theFormulaGuardIsTheProfilesChoice(guarded: Bool) throws {
    let profile = try parse(
      #"{"header":false,"line_ending":"lf","formula_guard":\#(guarded),"columns":[{"value":"description"},{"value":"amount"}]}"#
    )
    #expect(profile.formulaGuard == guarded)
    let descriptions = ["=SUM(A1:A9)", "+plus", "-minus", "@at", #"=HYPERLINK(\"x\")"#, "plain"]
    var lines = [financialAccountLine()]
    for (i, description) in descriptions.enumerated() {
      let at = Int(mar5) + i
      lines.append(Lines.transaction("trxn_\(i)", amount: -100, created: at, posted: at, description: description))
      lines.append(Lines.entry("trxne_\(i)", transaction: "trxn_\(i)", at: at, cash: -100))
    }
    let (statements, symbols) = try CamtSupport.statements(lines, from: mar1, through: mar5)
    let target = MemoryTarget()
    _ = try ProfileCSV(profile: profile).render(
      try #require(statements.first), symbols: symbols, time: LocalTimeFormatter(zone: TimeZone(identifier: "UTC")!),
      to: target)
    let mark = guarded ? "'" : ""
    #expect(
      target.text
        == "\(mark)=SUM(A1:A9),-1.00\n\(mark)+plus,-1.00\n\(mark)-minus,-1.00\n\(mark)@at,-1.00\n"
        + "\"\(mark)=HYPERLINK(\"\"x\"\")\",-1.00\nplain,-1.00\n")
  }

  /// A zero amount is a credit (as in every other format): it fills the credit column, never neither.
  @Test func aZeroAmountGoesInTheCreditColumn() throws {
    let profile = try parse(
      #"{"header":false,"line_ending":"lf","columns":[{"value":"id"},{"value":"credit"},{"value":"debit"}]}"#)
    let (statement, symbols) = try CamtSupport.zeroAndADebit()
    let target = MemoryTarget()
    _ = try ProfileCSV(profile: profile).render(
      statement, symbols: symbols, time: LocalTimeFormatter(zone: TimeZone(identifier: "UTC")!),
      to: target)
    #expect(target.text == "trxn_z,0.00,\ntrxn_out,,10.00\n")
  }
}
