import Foundation
import Testing

@testable import TreasuryJob
@testable import TreasuryLedger
@_spi(Inlining) @testable import TreasuryModel
@testable import TreasuryRender

private let mar1: Int64 = 1_772_323_200  // 2026-03-01T00:00:00Z
private let mar5: Int64 = 1_772_668_800
private let mar20: Int64 = 1_773_964_800

@Suite struct HTMLStatementTests {
  private func march(_ description: String = "Invoice 42", holder: String = "Acme Corp") throws -> (
    Statement, SymbolTable
  ) {
    let lines = [
      financialAccountLine(holder: holder),
      Lines.transaction("trxn_in", amount: 1_234_500, created: Int(mar5), posted: Int(mar5), description: description),
      Lines.entry("trxne_1", transaction: "trxn_in", at: Int(mar5), cash: 1_234_500),
      Lines.transaction("trxn_out", amount: -2_000_000, created: Int(mar20), posted: Int(mar20), description: "Out"),
      Lines.entry("trxne_2", transaction: "trxn_out", at: Int(mar20), cash: -2_000_000),
      Lines.transaction("trxn_open", amount: -4200, status: "open", created: Int(mar20) + 60, description: "Payroll"),
      Lines.entry("trxne_3", transaction: "trxn_open", at: Int(mar20) + 60, cash: -4200, outbound: 4200),
    ]
    let (statements, symbols) = try CamtSupport.statements(lines, from: mar1, through: mar20)
    return (try #require(statements.first), symbols)
  }

  private func page(_ statement: Statement, _ symbols: SymbolTable) throws -> String {
    let target = MemoryTarget()
    let html = try TemplateLibrary(folder: nil).htmlStatement()
    _ = try html.render(
      statement, symbols: symbols, time: LocalTimeFormatter(zone: TimeZone(identifier: "UTC")!), asOf: .max,
      to: target)
    return target.text
  }

  @Test func thePageSaysWhatTheStatementSays() throws {
    let (statement, symbols) = try march()
    let text = try page(statement, symbols)
    #expect(text.contains("<strong>March 1, 2026 – March 31, 2026</strong>"))
    #expect(text.contains(#"data-field="closing-booked">−7,655.00<"#))
    #expect(text.contains(#"data-field="closing-available">−7,697.00<"#))
    #expect(text.contains(#"data-field="credits">12,345.00<"#) && text.contains(#"data-field="debits">20,000.00<"#))
    #expect(text.contains(#"<tr data-id="trxn_in">"#) && text.contains(#"<tr data-pending-id="trxn_open">"#))
    #expect(text.contains("Acme Corp") && text.contains("•••• 6789") && text.contains("084106768"))
    // No external resource: the page prints offline.
    #expect(!text.contains("src=") && !text.contains("href=") && !text.contains("url(") && !text.contains("@import"))
    #expect(text.contains("@page"))
  }

  @Test func textIsEscapedAndMadeSafe() throws {
    let (statement, symbols) = try march(
      #"<script>alert(\"x\")</script> & 'q' \u0007"#, holder: "<b>Evil</b>")
    let text = try page(statement, symbols)
    #expect(!text.contains("<script>") && !text.contains("<b>Evil"))
    #expect(text.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39; \u{FFFD}"))
    #expect(text.contains("&lt;b&gt;Evil&lt;/b&gt;"))
  }

  /// The chart has one step per local day, each at that day's closing booked balance.
  @Test func theChartStepsDayByDay() throws {
    let (statement, _) = try march()
    let time = LocalTimeFormatter(zone: try #require(TimeZone(identifier: "UTC")))
    let chart = BalanceChart(statement, time: time)
    #expect(chart.days.count == 31)
    #expect(chart.days[3].close == 0 && chart.days[4].close == 1_234_500)
    #expect(chart.days[18].close == 1_234_500 && chart.days[19].close == -765_500 && chart.days[30].close == -765_500)
    #expect(chart.highest == 1_234_500 && chart.lowest == -765_500)
    #expect(chart.path.hasPrefix("M8 ") && chart.path.components(separatedBy: "H").count == 32)
    // Zero lies between the highest (top) and the lowest (bottom).
    let zero = try #require(Double(chart.zeroY))
    #expect(zero > 10 && zero < 140)
  }

  /// A zero-amount line is a credit, as in camt.053 and BAI2: counted with the credits, its 0.00 in their column.
  @Test func aZeroAmountLineIsACredit() throws {
    let (statement, symbols) = try CamtSupport.zeroAndADebit()
    let text = try page(statement, symbols)
    #expect(text.contains("Credits (1)") && text.contains("Debits (1)"))
    #expect(text.contains(#"data-field="credit">0.00</td><td class="num" data-field="debit"></td>"#))
  }

  /// A routing number that is not nine ASCII digits is unknown, as in camt.053, OFX and
  /// BAI2: the page shows a dash rather than the bad number.
  @Test func anInvalidRoutingNumberIsNotPrinted() throws {
    let lines = [
      financialAccountLine(routing: "12345"),
      Lines.transaction("trxn_in", amount: 500, created: Int(mar5), posted: Int(mar5), description: "In"),
      Lines.entry("trxne_1", transaction: "trxn_in", at: Int(mar5), cash: 500),
    ]
    let (statements, symbols) = try CamtSupport.statements(lines, from: mar1, through: mar20)
    let text = try page(try #require(statements.first), symbols)
    #expect(!text.contains("12345"))
    #expect(text.contains("<dt>Routing number</dt><dd>—</dd>"))
  }
}
