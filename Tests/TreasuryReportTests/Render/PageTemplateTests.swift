import Foundation
import Testing

@testable import TreasuryJob
@testable import TreasuryLedger
@_spi(Inlining) @testable import TreasuryModel
@testable import TreasuryRender

/// What swift-mustache renders and what `PageTemplate` renders, as bytes (nil when `PageTemplate` declines the template).
private func both(_ text: String, _ context: [String: Any]) throws -> (mustache: [UInt8], page: [UInt8]?)? {
  guard let html = try? HTMLStatement.parse(text, file: "test.mustache") else { return nil }
  let mustache = Array(html.mustachePage(context).utf8)
  guard let page = html.page else { return (mustache, nil) }
  let out = ByteBuffer()
  page.render(context, to: out)
  return (mustache, Array(out.bytes))
}

private func sampleContext() -> [String: Any] {
  [
    "a": true, "b": false, "x": "<&\"'é\u{301}>", "y": "<\u{301}\"\u{301}&\u{338}", "n": 3, "zero": 0, "s": "str",
    "empty": [[String: Any]](), "blank": "", "q": "it's \"5\" < 6 & 7 > 2",
    "list": [["x": "one", "k": 1, "flag": true], ["x": "two&", "flag": false], ["k": 3]] as [[String: Any]],
    "d": ["b": "inner<", "x": "dx", "e": ["f": "deep"] as [String: Any]] as [String: Any],
  ]
}

/// `PageTemplate` against swift-mustache, which it stands in for: the same bytes for the statement's template and for
/// templates built to hit the parser's corners.
@Suite struct PageTemplateTests {
  @Test func theStatementTemplateIsCompiledAndRendersAsSwiftMustache() throws {
    let text = try String(
      contentsOf: TestSupport.root.appendingPathComponent("templates/html/statement.mustache"), encoding: .utf8)
    #expect(PageTemplate(text) != nil)
    var random = Seeded(state: 6)
    var statements = try hostileStatements(&random, dumps: 40)
    let (march, symbols) = try CamtSupport.zeroAndADebit()
    statements.append((march, symbols, TimeZone(identifier: "UTC")!))
    for (statement, symbols, zone) in statements {
      let context = HTMLStatement.context(
        statement, symbols: symbols, time: LocalTimeFormatter(zone: zone), asOf: .max)
      let result = try #require(try both(text, context))
      #expect(result.page == result.mustache, "\(statement.key) differs")
      // The lines as rows written straight into the page, as `HTMLStatement.render` gives them.
      let rows = HTMLStatement.context(
        statement, symbols: symbols, time: LocalTimeFormatter(zone: zone), asOf: .max, rows: true)
      let page = try #require(PageTemplate(text))
      let out = ByteBuffer()
      page.render(rows, to: out)
      #expect(Array(out.bytes) == result.mustache, "\(statement.key) differs with rows")
    }
  }

  /// Random templates over the lines' fields (as variables, sections, dotted names): `StatementLineRows` renders what
  /// swift-mustache renders from the lines' dictionaries.
  @Test func lineRowsRenderAsTheirDictionaries() throws {
    let pieces = [
      "{{#lines}}", "{{/lines}}", "{{^lines}}", "{{#lines}}", "{{/lines}}", "{{date}}", "{{time}}", "{{{description}}}",
      "{{description}}", "{{& flowType}}", "{{id}}", "{{amount}}", "{{credit}}", "{{{debit}}}", "{{negative}}",
      "{{balance}}", "{{#negativeBalance}}", "{{/negativeBalance}}", "{{^negative}}", "{{/negative}}", "{{#credit}}",
      "{{/credit}}", "{{date.x}}", "{{.id}}", "{{currency}}", "{{opening.booked}}", "{{missing}}", "{{hasLines}}",
      "\n", " ", "|",
    ]
    var random = Seeded(state: 17)
    let statements = try hostileStatements(&random, dumps: 12)
    var compared = 0
    for _ in 0..<1500 {
      var template = ""
      for _ in 0..<random.below(12) { template += random.pick(pieces) }
      guard let html = try? HTMLStatement.parse(template, file: "t.mustache"), let page = html.page else { continue }
      let (statement, symbols, zone) = random.pick(statements)
      let mustache = html.mustachePage(
        HTMLStatement.context(statement, symbols: symbols, time: LocalTimeFormatter(zone: zone), asOf: .max))
      let out = ByteBuffer()
      page.render(
        HTMLStatement.context(
          statement, symbols: symbols, time: LocalTimeFormatter(zone: zone), asOf: .max, rows: true),
        to: out)
      #expect(Array(out.bytes) == Array(mustache.utf8), "\(template.debugDescription)")
      compared += 1
    }
    #expect(compared > 300)
  }

  @Test(arguments: [
    "plain", "{{x}}", "{{q}}", "{{{q}}}", "{{{x}}}", "{{& x }}", "{{ x }}", "{{y}}", "{{n}} {{zero}} {{a}} {{b}}",
    "{{missing}}|",
    "{{#a}}yes{{/a}}{{^a}}no{{/a}}", "{{#b}}yes{{/b}}{{^b}}no{{/b}}", "{{#list}}[{{x}}:{{k}}]{{/list}}",
    "{{#list}}{{#flag}}F{{/flag}}{{^flag}}f{{/flag}}{{s}}{{/list}}", "{{^empty}}none{{/empty}}{{#empty}}x{{/empty}}",
    "{{#s}}{{.}}{{/s}}", "{{#n}}{{.}}-{{s}}{{/n}}", "{{d.b}} {{d.e.f}} {{d.missing.f}} {{.x}}",
    "{{#d}}{{b}}{{x}}{{.b}}{{/d}}",
    "{{#d}}{{#e}}{{f}}{{x}}{{/e}}{{/d}}", "{{#blank}}blank is truthy{{/blank}}", "{{^blank}}no{{/blank}}",
    "  {{#a}}\n  line\n  {{/a}}\n", "  {{#a}}  \r\n  line\r\n\t{{/a}}\t\r\n", " {{! comment }} \n x",
    "a {{! comment }} b\n", "{{!c}}\n{{x}}\n", "{{#a}} {{x}} {{/a}}\n", "x{{#a}}\ny{{/a}}\n",
    "{{#list}}\n  - {{x}}\n{{/list}}\n", "  {{^b}}\n  shown\n  {{/b}}", "{ {x} {{x}} }", "{{#a}}{{/a}}", "{{}}",
    "{{.}}", "{{..}}", "{{#a}}\u{2028}{{/a}}x", "{{#a}}\r{{/a}}", "\u{FEFF}{{x}}", "{{x}}{", "{{x}}}",
    "\n\n{{#a}}\n\n{{/a}}",
    "{{#list}}{{#list}}{{x}}{{/list}}|{{/list}}", "{{x}\n", "{{#a}}", "{{/a}}", "{{#a}}{{/b}}", "{{> partial}}",
    "{{=<% %>=}}<%x%>", "{{%CONTENT_TYPE:TEXT}}{{x}}", "{{uppercased(s)}}", "{{$block}}d{{/block}}",
  ])
  func cornersRenderAsSwiftMustache(template: String) throws {
    guard let result = try both(template, sampleContext()) else { return }  // swift-mustache refuses it
    if let page = result.page {
      #expect(
        page == result.mustache,
        "\(String(decoding: page, as: UTF8.self)) ≠ \(String(decoding: result.mustache, as: UTF8.self))")
    }
  }

  @Test func unsupportedTagsAreLeftToSwiftMustache() {
    for template in ["{{> partial}}", "{{=<% %>=}}", "{{%CONTENT_TYPE:TEXT}}", "{{uppercased(s)}}", "{{<p}}{{/p}}"] {
      #expect(PageTemplate(template) == nil, "\(template)")
    }
  }

  /// Random templates from pieces of tags, line breaks and blanks: whenever swift-mustache parses one, both render it alike.
  @Test func randomTemplatesRenderAsSwiftMustache() throws {
    let pieces = [
      "{{#a}}", "{{/a}}", "{{^b}}", "{{/b}}", "{{#list}}", "{{/list}}", "{{#d}}", "{{/d}}", "{{x}}", "{{{x}}}",
      "{{& y}}", "{{ s }}", "{{q}}", "{{! c }}", "{{.}}", "{{d.b}}", "{{k}}", "\n", "\r\n", "\r", " ", "  ", "\t",
      "text", "{",
      "}", "é\u{301}", "<",
    ]
    var random = Seeded(state: 99)
    var compared = 0
    for _ in 0..<3000 {
      var template = ""
      for _ in 0..<random.below(14) { template += random.pick(pieces) }
      guard let result = try both(template, sampleContext()), let page = result.page else { continue }
      #expect(page == result.mustache, "\(template.debugDescription)")
      compared += 1
    }
    #expect(compared > 500)
  }
}
