import Foundation
import TreasuryLedger
@_spi(Inlining) import TreasuryModel
import TreasuryXML

/// Writes one statement as an ISO 20022 camt.053 document (one message holding one statement), streaming.
///
/// Content, in the schema's order: the group header (MsgId, CreDtTm, one
/// page); the statement's Id, ElctrncSeqNb, CreDtTm and period (FrDtTm is the
/// start, ToDtTm the last second before the end, both local time with the
/// offset); the account (financial account id, currency, holder name, the ABA
/// routing number as a USABA clearing-system member and the bank's name when
/// the dump has them); balances OPBD and CLBD (booked) and OPAV and CLAV
/// (available = cash), negative ones as DBIT; the transaction summary; one
/// booked entry (BOOK) per transaction posted in the period, in statement
/// order; with `includePending`, one PDNG entry per transaction open at the
/// period's end, after them and outside the totals.
///
/// CreDtTm is the period's end, or the data's as-of time if the period had
/// not ended by then: a closed period's document does not change when later
/// data arrives, and no wall-clock time is ever written.
package struct Camt053Document: Sendable {
  package var version: Camt053Version
  package var includePending: Bool

  package init(version: Camt053Version, includePending: Bool = false) {
    self.version = version
    self.includePending = includePending
  }

  /// The AddtlNtryInf limit (Max500Text).
  package static let descriptionLimit = 500
  /// Amounts in the schema have at most 18 digits.
  static let amountLimit: Int64 = 1_000_000_000_000_000_000

  /// When the document says it was created: the period's end, or `asOf` if earlier.
  package static func creationTime(_ statement: Statement, asOf: Int64) -> Int64 {
    min(statement.key.period.end, asOf)
  }

  /// Writes the document; returns the number of entries (Ntry).
  package func render(
    _ statement: Statement, symbols: SymbolTable, time: LocalTimeFormatter, asOf: Int64, to target: RenderTarget
  ) throws(RenderError) -> Int {
    try render(statement, symbols: symbols, time: time, asOf: asOf, writer: XMLByteWriter(target: target, indent: ""))
  }

  /// Writes the document through `writer` (which must indent with an empty string); the tests pass libxml2's.
  package func render<W: XMLWriting>(
    _ statement: Statement, symbols: SymbolTable, time: LocalTimeFormatter, asOf: Int64, writer: W
  ) throws(RenderError) -> Int {
    let context = Context(statement: statement, symbols: symbols, time: time, version: version, writer: writer)
    let created = Self.creationTime(statement, asOf: asOf)
    let w = context.writer
    try w.startDocument()
    try w.startElement("Document")
    try w.attribute("xmlns", version.namespace)
    try w.startElement("BkToCstmrStmt")

    try w.startElement("GrpHdr")
    try w.element(
      "MsgId",
      Camt053Identity.messageID(
        statement, symbols: symbols, version: version, includePending: includePending, created: created,
        zone: time.zone.identifier))
    try w.element("CreDtTm", context.dateTime(created))
    try w.startElement("MsgPgntn")
    try w.element("PgNb", "1")
    try w.element("LastPgInd", "true")
    try w.endElement()
    try w.endElement()

    try w.startElement("Stmt")
    try w.element("Id", Camt053Identity.statementID(statement.key, zone: time.zone.identifier))
    try w.element("ElctrncSeqNb", Camt053Identity.sequenceNumber(statement.key.period))
    try w.element("CreDtTm", context.dateTime(created))
    try w.startElement("FrToDt")
    try w.element("FrDtTm", context.dateTime(statement.key.period.start))
    try w.element("ToDtTm", context.dateTime(statement.key.period.end - 1))
    try w.endElement()
    try writeAccount(context)
    let firstDay = time.localDate(statement.key.period.start).iso
    let lastDay = time.localDate(statement.key.period.end - 1).iso
    try context.balance("OPBD", statement.opening.booked, date: firstDay)
    try context.balance("OPAV", statement.opening.available, date: firstDay)
    try context.balance("CLBD", statement.closing.booked, date: lastDay)
    try context.balance("CLAV", statement.closing.available, date: lastDay)
    try writeSummary(context)
    for line in statement.bookedLines { try writeEntry(line.transaction, booked: true, context) }
    if includePending {
      for line in statement.pendingLines { try writeEntry(line.transaction, booked: false, context) }
    }
    var notes: [String] = []
    if !statement.isReconciled {
      notes.append(
        "Does not reconcile: closing booked minus opening booked differs from credits minus debits by "
          + DecimalAmount.string(statement.difference, digits: context.digits) + " " + context.currency)
    }
    if includePending && !statement.pendingLines.isEmpty {
      notes.append("Entries with status PDNG were open at the period's end and are not in the booked totals")
    }
    if !notes.isEmpty { try w.element("AddtlStmtInf", notes.joined(separator: ". "), maxCharacters: 500) }
    try w.endElement()  // Stmt
    try w.finish()
    return statement.bookedLines.count + (includePending ? statement.pendingLines.count : 0)
  }

  private func writeAccount<W>(_ c: Context<W>) throws(RenderError) {
    let w = c.writer
    let header = c.statement.header
    try w.startElement("Acct")
    try w.startElement("Id")
    try w.startElement("Othr")
    try w.element("Id", Camt053Identity.accountID(c.statement.key.financialAccount))
    try w.endElement()
    try w.endElement()
    try w.element("Ccy", c.currency)
    if let holder = header?.holderName, !holder.isEmpty { try w.element("Nm", holder, maxCharacters: 70) }
    let routing = header?.abaRoutingNumber
    let bank = header?.bankName.flatMap { $0.isEmpty ? nil : $0 }
    if routing != nil || bank != nil {
      try w.startElement("Svcr")
      try w.startElement("FinInstnId")
      if let routing {
        try w.startElement("ClrSysMmbId")
        try w.startElement("ClrSysId")
        try w.element("Cd", "USABA")
        try w.endElement()
        try w.element("MmbId", routing)
        try w.endElement()
      }
      if let bank { try w.element("Nm", bank, maxCharacters: 140) }
      try w.endElement()
      try w.endElement()
    }
    try w.endElement()
  }

  private func writeSummary<W>(_ c: Context<W>) throws(RenderError) {
    let w = c.writer
    let statement = c.statement
    let credits = statement.creditLineCount
    let debits = statement.debitLineCount
    let net = statement.credits - statement.debits
    try w.startElement("TxsSummry")
    try w.startElement("TtlNtries")
    try w.element("NbOfNtries", String(statement.bookedLines.count))
    try c.decimal("Sum", statement.credits + statement.debits, what: "TtlNtries/Sum")
    if version == .v02 {
      try c.decimal("TtlNetNtryAmt", net.magnitude, what: "TtlNetNtryAmt")
      try w.element("CdtDbtInd", net < 0 ? "DBIT" : "CRDT")
    } else {
      try w.startElement("TtlNetNtry")
      try c.decimal("Amt", net.magnitude, what: "TtlNetNtry/Amt")
      try w.element("CdtDbtInd", net < 0 ? "DBIT" : "CRDT")
      try w.endElement()
    }
    try w.endElement()
    try w.startElement("TtlCdtNtries")
    try w.element("NbOfNtries", String(credits))
    try c.decimal("Sum", statement.credits, what: "TtlCdtNtries/Sum")
    try w.endElement()
    try w.startElement("TtlDbtNtries")
    try w.element("NbOfNtries", String(debits))
    try c.decimal("Sum", statement.debits, what: "TtlDbtNtries/Sum")
    try w.endElement()
    try w.endElement()
  }

  private func writeEntry<W>(_ t: TransactionRecord, booked: Bool, _ c: Context<W>) throws(RenderError) {
    let w = c.writer
    let symbols = c.symbols
    let indicator = Statement.isCredit(t.amount) ? "CRDT" : "DBIT"
    try w.startElement("Ntry")
    try c.amount("Amt", t.amount, what: "Ntry/Amt")
    try w.element("CdtDbtInd", indicator)
    if version == .v02 {
      try w.element("Sts", booked ? "BOOK" : "PDNG")
    } else {
      try w.startElement("Sts")
      try w.element("Cd", booked ? "BOOK" : "PDNG")
      try w.endElement()
    }
    if booked {
      let day = c.time.localDate(t.postedAt ?? t.created).iso
      try c.date("BookgDt", day)
      try c.date("ValDt", day)
    } else {
      // Not booked: no booking date; the value date is when it started to move the available balance.
      try c.date("ValDt", c.time.localDate(t.created).iso)
    }
    // Stripe ids are about 30 characters; one too long for Max35Text is left out rather than cut.
    let id = symbols.string(t.id)
    if Self.fitsMax35(id) { try w.element("AcctSvcrRef", id) }
    let flowType = symbols.string(t.flowType)
    let code = BankTransactionCode.code(flowType: flowType, amount: t.amount)
    try w.startElement("BkTxCd")
    try w.startElement("Domn")
    try w.element("Cd", code.domain)
    try w.startElement("Fmly")
    try w.element("Cd", code.family)
    try w.element("SubFmlyCd", code.subFamily)
    try w.endElement()
    try w.endElement()
    if !flowType.isEmpty {
      try w.startElement("Prtry")
      try w.element("Cd", flowType, maxCharacters: 35)
      try w.element("Issr", "STRIPE")
      try w.endElement()
    }
    try w.endElement()
    let flow = symbols.string(t.flow)
    let hasReference = !flow.isEmpty && Self.fitsMax35(flow)
    if hasReference || version == .v08 {
      try w.startElement("NtryDtls")
      try w.startElement("TxDtls")
      if hasReference {
        // The flow (obp_…, rc_…) is the account servicer's reference for the instruction behind the entry.
        try w.startElement("Refs")
        try w.element("AcctSvcrRef", flow)
        try w.endElement()
      }
      if version == .v08 {
        try c.amount("Amt", t.amount, what: "TxDtls/Amt")
        try w.element("CdtDbtInd", indicator)
      }
      try w.endElement()
      try w.endElement()
    }
    var failure: RenderError?
    symbols.withBytes(t.description) { bytes in
      guard !bytes.isEmpty else { return }
      do throws(RenderError) {
        try w.element("AddtlNtryInf", bytes: bytes, maxCharacters: Self.descriptionLimit)
      } catch { failure = error }
    }
    if let failure { throw failure }
    try w.endElement()
  }

  static func fitsMax35(_ text: String) -> Bool {
    !text.isEmpty && text.unicodeScalars.count <= 35 && XMLText.safe(text) == text
  }

  /// What the element writers share while one document is written.
  private final class Context<W: XMLWriting> {
    let statement: Statement
    let symbols: SymbolTable
    let time: LocalTimeFormatter
    let version: Camt053Version
    let writer: W
    let digits: Int
    let currency: String
    private let scratch = ByteBuffer(capacity: 64)

    init(
      statement: Statement, symbols: SymbolTable, time: LocalTimeFormatter, version: Camt053Version,
      writer: W
    ) {
      self.statement = statement
      self.symbols = symbols
      self.time = time
      self.version = version
      self.writer = writer
      digits = Money.minorDigits(currency: statement.key.currency)
      currency = statement.key.currency.uppercased()
    }

    /// `<name Ccy="USD">12.34</name>`: the magnitude (camt amounts are never negative); `what` names it in
    /// the error when it has too many digits.
    func amount(_ name: String, _ minor: Int64, what: String) throws(RenderError) {
      try writer.startElement(name)
      try writer.attribute("Ccy", currency)
      try number(minor.magnitude, what: what)
      try writer.endElement()
    }

    /// `<name>12.34</name>` without a currency (summary sums).
    func decimal(_ name: String, _ minor: Int64, what: String) throws(RenderError) {
      try decimal(name, minor.magnitude, what: what)
    }

    func decimal(_ name: String, _ magnitude: UInt64, what: String) throws(RenderError) {
      try writer.startElement(name)
      try number(magnitude, what: what)
      try writer.endElement()
    }

    private func number(_ magnitude: UInt64, what: String) throws(RenderError) {
      guard magnitude < UInt64(Camt053Document.amountLimit) else {
        let key = statement.key
        throw .unrepresentable(
          ExportLimitError(
            "\(key.financialAccount) \(key.currency) \(key.period.label): \(what) "
              + DecimalAmount.string(Int64(clamping: magnitude), digits: digits)
              + " has more than the 18 digits camt.053 allows"))
      }
      scratch.removeAll()
      DecimalAmount.append(Int64(magnitude), digits: digits, to: scratch)
      try writer.text(bytes: scratch.bytes)
    }

    func balance(_ code: String, _ minor: Int64, date day: String) throws(RenderError) {
      try writer.startElement("Bal")
      try writer.startElement("Tp")
      try writer.startElement("CdOrPrtry")
      try writer.element("Cd", code)
      try writer.endElement()
      try writer.endElement()
      try amount("Amt", minor, what: code)
      try writer.element("CdtDbtInd", minor < 0 ? "DBIT" : "CRDT")
      try date("Dt", day)
      try writer.endElement()
    }

    func date(_ name: String, _ day: String) throws(RenderError) {
      try writer.startElement(name)
      try writer.element("Dt", day)
      try writer.endElement()
    }

    /// ISO 8601 local time with its offset; UTC (`Z`) for the rare historic offsets with seconds,
    /// which xs:dateTime cannot express.
    func dateTime(_ instant: Int64) -> String {
      if time.offset(at: instant) % 60 == 0 { return time.string(instant) }
      let utc = LocalTimeFormatter(zone: .gmt).string(instant)
      return utc.hasSuffix("+00:00") ? utc.dropLast(6) + "Z" : utc
    }
  }
}
