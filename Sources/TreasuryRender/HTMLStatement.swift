import Foundation
import Mustache
import TreasuryLedger
@_spi(Inlining) import TreasuryModel
import TreasuryXML

/// Renders a statement as a printable HTML page from a Mustache template (`templates/html/statement.mustache`).
///
/// The template gets plain values (see `context`): every amount already
/// formatted exactly (`1,234.56`, negatives with a minus sign), dates in the
/// statement's zone, text made safe (control characters replaced) and
/// escaped by Mustache's `{{…}}`. The page must stand alone: the template
/// carries its CSS and the chart is inline SVG built from the numbers here.
package struct HTMLStatement: Sendable {
  package let template: MustacheTemplate
  /// The same template compiled by `PageTemplate`, nil when it uses tags only swift-mustache renders.
  let page: PageTemplate?

  package static let fileStem = "statement"

  /// `text`: the template's source, compiled by `PageTemplate` when it can be.
  package init(template: MustacheTemplate, text: String? = nil) {
    self.template = template
    page = text.flatMap(PageTemplate.init)
  }

  /// Parses a template's text; `file` names it in errors.
  package static func parse(_ text: String, file: String) throws(TemplateError) -> HTMLStatement {
    do {
      return HTMLStatement(template: try MustacheTemplate(string: text), text: text)
    } catch let error as MustacheTemplate.ParserError {
      throw .invalidTemplate(
        file: file, line: error.context.lineNumber, column: error.context.columnNumber, reason: "\(error.error)")
    } catch {
      throw .invalidTemplate(file: file, line: 0, column: 0, reason: "\(error)")
    }
  }

  /// Writes the page; returns the number of booked lines.
  package func render(
    _ statement: Statement, symbols: SymbolTable, time: LocalTimeFormatter, asOf: Int64, to target: RenderTarget
  ) throws(RenderError) -> Int {
    if let page {
      let context = Self.context(statement, symbols: symbols, time: time, asOf: asOf, rows: true)
      let out = ByteBuffer(capacity: 1 << 16 + statement.bookedLines.count * 1024)
      page.render(context, to: out)
      try target.emit(out.bytes)
      return statement.bookedLines.count
    }
    var bytes = mustachePage(Self.context(statement, symbols: symbols, time: time, asOf: asOf))
    var failure: RenderError?
    bytes.withUTF8 { utf8 in
      do throws(RenderError) { try target.emit(UnsafeRawBufferPointer(utf8)) } catch { failure = error }
    }
    if let failure { throw failure }
    return statement.bookedLines.count
  }

  /// The page for `context` rendered by swift-mustache itself: for templates `PageTemplate` declines, and the
  /// tests' oracle.
  package func mustachePage(_ context: [String: Any]) -> String { template.render(context) }

  static let months = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
    "December",
  ]

  /// `March 1, 2026`.
  package static func longDate(_ date: CivilDate) -> String { "\(months[date.month - 1]) \(date.day), \(date.year)" }

  static let amountStyle = AmountStyle(thousandsSeparator: UInt8(ascii: ","), minusSign: Array("\u{2212}".utf8))

  /// Everything the template can use; `rows`: the booked lines as `StatementLineRows` (for `PageTemplate`) rather
  /// than a dictionary each.
  package static func context(
    _ statement: Statement, symbols: SymbolTable, time: LocalTimeFormatter, asOf: Int64, rows: Bool = false
  ) -> [String: Any] {
    let digits = Money.minorDigits(currency: statement.key.currency)
    let style = amountStyle
    let money = { (minor: Int64) in style.string(minor, digits: digits) }
    let safe = { (text: String) in XMLText.safe(text) }
    let period = statement.key.period
    let first = time.localDate(period.start)
    let last = time.localDate(period.end - 1)
    let header = statement.header

    // Lines come in time order: the rows format one day's ISO date once for its run of lines.
    let lineRows = StatementLineRows(
      statement.bookedLines, symbols: symbols, time: time, style: style, digits: digits)
    let lines: Any = rows ? lineRows : lineRows.array()
    var pending: [[String: Any]] = []
    for line in statement.pendingLines {
      let t = line.transaction
      pending.append([
        "created": time.localDate(t.created).iso,
        "description": safe(symbols.string(t.description)),
        "flowType": safe(symbols.string(t.flowType)),
        "id": safe(symbols.string(t.id)),
        "amount": money(t.amount),
        "available": money(line.impactAtEnd.cash),
      ])
    }
    let chart = BalanceChart(statement, time: time)
    let net = statement.credits - statement.debits
    let balances = { (b: SubBalances) -> [String: Any] in
      [
        "booked": money(b.booked), "available": money(b.available), "cash": money(b.cash),
        "inboundPending": money(b.inboundPending), "outboundPending": money(b.outboundPending),
      ]
    }
    var context: [String: Any] = [
      "financialAccount": safe(statement.key.financialAccount),
      "account": safe(statement.account),
      "currency": statement.key.currency.uppercased(),
      "periodLabel": period.label,
      "periodStart": longDate(first),
      "periodEnd": longDate(last),
      "periodStartISO": first.iso,
      "periodEndISO": last.iso,
      "timeZone": time.zone.identifier,
      "startsAt": time.string(period.start),
      "endsAt": time.string(period.end),
      "generatedAt": time.string(Camt053Document.creationTime(statement, asOf: asOf)),
      "opening": balances(statement.opening),
      "closing": balances(statement.closing),
      "credits": money(statement.credits),
      "debits": money(statement.debits),
      "net": money(net),
      "postedCount": statement.postedCount,
      "creditCount": statement.creditLineCount,
      "debitCount": statement.debitLineCount,
      "voidCount": statement.voidCount,
      "openCount": statement.openCount,
      "reconciled": statement.isReconciled,
      "difference": money(statement.difference),
      "lines": lines,
      "hasLines": !statement.bookedLines.isEmpty,
      "pending": pending,
      "hasPending": !pending.isEmpty,
      "chart": [
        "width": BalanceChart.width, "height": BalanceChart.height, "path": chart.path, "zeroY": chart.zeroY,
        "showsZero": chart.lowest < 0, "highest": money(chart.highest), "lowest": money(chart.lowest),
        "days": chart.days.count, "firstDay": first.iso, "lastDay": last.iso,
      ] as [String: Any],
    ]
    if let name = header?.holderName, !name.isEmpty { context["holder"] = safe(name) }
    if let bank = header?.bankName, !bank.isEmpty { context["bank"] = safe(bank) }
    if let routing = header?.abaRoutingNumber { context["routing"] = safe(routing) }
    if let last4 = header?.accountNumberLast4, !last4.isEmpty { context["last4"] = safe(last4) }
    return context
  }
}
