import Foundation
import TreasuryLedger
@_spi(Inlining) import TreasuryModel
import TreasuryXML

/// Writes one statement as an OFX bank statement response: OFX 1.02 (SGML) or OFX 2.2 (XML).
///
/// One statement per file, as accounting software imports them: a sign-on
/// response (with FI: ORG and FID, which ledger-autosync needs), then
/// STMTTRNRS/STMTRS with the currency, BANKACCTFROM (BANKID = the ABA routing
/// number, ACCTID = the financial account, ACCTTYPE CHECKING), BANKTRANLIST
/// (DTSTART and DTEND = the period, one STMTTRN per booked line in statement
/// order: TRNTYPE from the flow type, DTPOSTED = posted_at, signed TRNAMT,
/// FITID = the transaction id (exactly, or the statement is refused:
/// `ExportID`), NAME = the description cut to 32 characters, MEMO = the
/// description), LEDGERBAL = closing booked and AVAILBAL = closing available,
/// both dated the period's last day (as camt.053's closing balances). No
/// pending list: importers reject or double-count it.
///
/// Times are local to the run's zone with a whole-hour offset
/// (`20260331220000.000[-4:]`), or UTC (`[0:GMT]`) where the zone's offset has
/// minutes: see `dateTime`. DTSERVER is the period's end, or the data's as-of
/// time if earlier, so no wall-clock time is written. OFX 1.02 text is
/// Windows-1252 (what QuickBooks expects; characters it lacks become `?`),
/// OFX 2.2 text is UTF-8; in both, control characters (line breaks and tabs
/// included) become spaces, and `"` is written as itself (libofx's DTD has no
/// `&quot;`).
package struct OFXDocument: Sendable {
  package enum Version: Sendable {
    /// OFX 1.02, SGML.
    case v1
    /// OFX 2.2, XML.
    case v2
  }

  package var version: Version
  /// FI's ORG: the institution's name, as importers show it.
  package var organization: String
  /// FI's FID: the institution's id, which ledger-autosync puts in each transaction's id.
  package var institutionID: String

  /// ORG when none is given.
  package static let defaultOrganization = "Stripe Treasury"
  /// FID when none is given.
  package static let defaultInstitutionID = "stripe-treasury"
  /// The limit of ORG and FID.
  package static let institutionLimit = 32

  package init(
    version: Version, organization: String = defaultOrganization, institutionID: String = defaultInstitutionID
  ) {
    self.version = version
    self.organization = organization
    self.institutionID = institutionID
  }

  /// Why `text` cannot be an ORG or FID (printable ASCII, 1 to 32 characters), or nil when it can.
  package static func institutionProblem(_ text: String) -> String? {
    guard !text.isEmpty, text.utf8.count <= institutionLimit, text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }),
      text.first != " ", text.last != " "
    else {
      return "must be 1 to \(institutionLimit) printable ASCII characters, without spaces at either end"
    }
    return nil
  }

  /// The file name stem: `statement` (`statement.ofx`) or `statement.ofx2` (`statement.ofx2.ofx`).
  package var fileStem: String { version == .v1 ? "statement" : "statement.ofx2" }

  /// NAME's limit in the OFX specification.
  package static let nameLimit = 32
  /// MEMO's limit.
  package static let memoLimit = 255
  /// ACCTID's limit.
  package static let accountIDLimit = 22
  /// BANKID when the dump has no routing number for the account (the element is required).
  package static let unknownBankID = "000000000"

  /// ACCTID: the financial account id, or its last 22 characters when longer (Stripe's ids are 27; the end
  /// is the part that tells accounts apart).
  package static func accountID(_ financialAccount: String) -> String {
    String(financialAccount.suffix(accountIDLimit))
  }

  /// Two financial accounts whose ACCTIDs are the same (ids ending in the same 22 characters), which an importer
  /// would take for one account; nil when every ACCTID is its own.
  package static func sharedAccountID(_ financialAccounts: [String]) -> (first: String, second: String, id: String)? {
    var seen: [String: String] = [:]
    for fa in financialAccounts.sorted() {
      let id = accountID(fa)
      if let first = seen[id] { return (first, fa, id) }
      seen[id] = fa
    }
    return nil
  }

  /// `text` without leading and trailing white space (Unicode's, as Python's `strip()` in the reference reader).
  ///
  /// Nearly every description starts and ends with a printable ASCII character that is not a space; it is
  /// returned as it is, sparing Foundation's trim (about a tenth of `--format ofx`'s CPU time).
  static func trimmed(_ text: String) -> String {
    let utf8 = text.utf8
    if let first = utf8.first, let last = utf8.last, (0x21...0x7E).contains(first), (0x21...0x7E).contains(last) {
      return text
    }
    return text.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// `YYYYMMDDHHMMSS.XXX[offset:name]`: local time where the zone's offset is whole hours (`[-4:]`, `[0:GMT]`),
  /// else UTC (`[0:GMT]`).
  ///
  /// The three readers disagree on offsets with minutes: libofx and ofxparse read `[5.30]` as 5.3 hours,
  /// ofxtools as 5 hours 30 minutes, so such a zone's times are written in UTC, which all read alike. The
  /// colon is always there: ofxparse ignores an offset without one. The zone's name is left empty but for
  /// GMT (Foundation knows no portable abbreviation, and ofxparse takes only letters, digits and `_`).
  /// libofx reads a time of exactly 00:00:00 as a date (at 10:59 UTC), whatever its offset.
  package static func dateTime(_ time: Int64, _ formatter: LocalTimeFormatter) -> String {
    var offset = formatter.offset(at: time)
    if offset % 3600 != 0 { offset = 0 }
    let local = time + offset
    let seconds = ((local % 86_400) + 86_400) % 86_400
    let date = CivilDate(daysSinceEpoch: Int((local - seconds) / 86_400))
    let s = Int(seconds)
    let hours = offset / 3600
    // Four-digit years and offsets within ±99 hours (every real one): the digits straight into 32 bytes, one String
    // instead of a dozen (this runs for every transaction).
    if (0...9999).contains(date.year) && (-99...99).contains(hours) {
      return String(unsafeUninitializedCapacity: 32) { p in
        var w = 0
        func put(_ value: Int, _ width: Int) {
          var v = value
          for i in stride(from: width - 1, through: 0, by: -1) {
            p[w + i] = UInt8(ascii: "0") &+ UInt8(v % 10)
            v /= 10
          }
          w += width
        }
        put(date.year, 4)
        put(date.month, 2)
        put(date.day, 2)
        put(s / 3600, 2)
        put(s / 60 % 60, 2)
        put(s % 60, 2)
        for byte in offset == 0 ? ".000[0:GMT]".utf8 : ".000[".utf8 {
          p[w] = byte
          w += 1
        }
        if offset != 0 {
          if hours < 0 {
            p[w] = UInt8(ascii: "-")
            w += 1
          }
          put(Int(hours.magnitude), hours.magnitude >= 10 ? 2 : 1)
          p[w] = UInt8(ascii: ":")
          p[w + 1] = UInt8(ascii: "]")
          w += 2
        }
        return w
      }
    }
    var text = pad(date.year, 4) + pad(date.month, 2) + pad(date.day, 2)
    text += pad(s / 3600, 2) + pad(s / 60 % 60, 2) + pad(s % 60, 2) + ".000"
    return text + (offset == 0 ? "[0:GMT]" : "[" + String(offset / 3600) + ":]")
  }

  /// `YYYYMMDD`: the local date of `time`, a date without a time, which every reader dates the same day.
  package static func date(_ time: Int64, _ formatter: LocalTimeFormatter) -> String {
    let date = formatter.localDate(time)
    return pad(date.year, 4) + pad(date.month, 2) + pad(date.day, 2)
  }

  /// Writes the document; returns the number of STMTTRN (booked lines).
  package func render(
    _ statement: Statement, symbols: SymbolTable, time: LocalTimeFormatter, asOf: Int64, to target: RenderTarget
  ) throws(RenderError) -> Int {
    let out: OFXOutput = version == .v1 ? SGMLOutput(target: target) : XMLOutput(writer: XMLByteWriter(target: target))
    return try write(statement, symbols: symbols, time: time, asOf: asOf, to: out)
  }

  /// Writes the OFX 2.2 document through `writer` (which must indent with two spaces); the tests pass libxml2's.
  package func renderXML<W: XMLWriting>(
    _ statement: Statement, symbols: SymbolTable, time: LocalTimeFormatter, asOf: Int64, writer: W
  ) throws(RenderError) -> Int {
    try write(statement, symbols: symbols, time: time, asOf: asOf, to: XMLOutput(writer: writer))
  }

  private func write(
    _ statement: Statement, symbols: SymbolTable, time: LocalTimeFormatter, asOf: Int64, to out: OFXOutput
  ) throws(RenderError) -> Int {
    let digits = Money.minorDigits(currency: statement.key.currency)
    let period = statement.key.period
    let created = Camt053Document.creationTime(statement, asOf: asOf)
    let routing = statement.header?.abaRoutingNumber

    try out.start()
    try out.open("OFX")
    try out.open("SIGNONMSGSRSV1")
    try out.open("SONRS")
    try status(out)
    try out.element("DTSERVER", Self.dateTime(created, time))
    try out.element("LANGUAGE", "ENG")
    try out.open("FI")
    try out.element("ORG", organization)
    try out.element("FID", institutionID)
    try out.close("FI")
    try out.close("SONRS")
    try out.close("SIGNONMSGSRSV1")
    try out.open("BANKMSGSRSV1")
    try out.open("STMTTRNRS")
    try out.element("TRNUID", Camt053Identity.statementID(statement.key, zone: time.zone.identifier))
    try status(out)
    try out.open("STMTRS")
    try out.element("CURDEF", statement.key.currency.uppercased())
    try out.open("BANKACCTFROM")
    try out.element("BANKID", routing ?? Self.unknownBankID)
    try out.element("ACCTID", Self.accountID(statement.key.financialAccount))
    try out.element("ACCTTYPE", "CHECKING")
    try out.close("BANKACCTFROM")
    try out.open("BANKTRANLIST")
    try out.element("DTSTART", Self.dateTime(period.start, time))
    try out.element("DTEND", Self.dateTime(period.end, time))
    for line in statement.bookedLines {
      let t = line.transaction
      let flowType = symbols.string(t.flowType)
      let description = Self.trimmed(symbols.string(t.description))
      try out.open("STMTTRN")
      try out.element("TRNTYPE", OFXTransactionType.code(flowType: flowType, amount: t.amount))
      try out.element("DTPOSTED", Self.dateTime(t.postedAt ?? t.created, time))
      try out.element("TRNAMT", DecimalAmount.string(t.amount, digits: digits))
      let id = symbols.string(t.id)
      try ExportID.check(
        id, "transaction", field: "OFX's FITID", limit: ExportID.ofxLimit, in: statement, source: t.source)
      try out.element("FITID", id)
      try out.text("NAME", description.isEmpty ? flowType : description, limit: Self.nameLimit)
      if !description.isEmpty { try out.text("MEMO", description, limit: Self.memoLimit) }
      try out.close("STMTTRN")
    }
    try out.close("BANKTRANLIST")
    // Dated the period's last day rather than its (exclusive) end, which importers show as the next day.
    let lastDay = Self.date(period.end - 1, time)
    for (tag, amount) in [("LEDGERBAL", statement.closing.booked), ("AVAILBAL", statement.closing.available)] {
      try out.open(tag)
      try out.element("BALAMT", DecimalAmount.string(amount, digits: digits))
      try out.element("DTASOF", lastDay)
      try out.close(tag)
    }
    try out.close("STMTRS")
    try out.close("STMTTRNRS")
    try out.close("BANKMSGSRSV1")
    try out.close("OFX")
    try out.finish()
    return statement.bookedLines.count
  }

  private func status(_ out: OFXOutput) throws(RenderError) {
    try out.open("STATUS")
    try out.element("CODE", "0")
    try out.element("SEVERITY", "INFO")
    try out.close("STATUS")
  }
}

/// The two OFX syntaxes behind one set of calls.
private protocol OFXOutput {
  func start() throws(RenderError)
  func open(_ tag: String) throws(RenderError)
  func close(_ tag: String) throws(RenderError)
  /// An element whose value is the caller's own (a code, a number, an id).
  func element(_ tag: String, _ value: String) throws(RenderError)
  /// An element of free text, made safe for the syntax and cut to `limit` characters.
  func text(_ tag: String, _ value: String, limit: Int) throws(RenderError)
  func finish() throws(RenderError)
}

/// OFX 1.02: the SGML header block, then tags one per line; elements have no end tag, aggregates do.
private final class SGMLOutput: OFXOutput {
  private let target: RenderTarget
  private let out = ByteBuffer(capacity: 1 << 17)
  /// A text value in Windows-1252, reused.
  private var encoded: [UInt8] = []

  init(target: RenderTarget) {
    self.target = target
  }

  func start() throws(RenderError) {
    let header = [
      "OFXHEADER:100", "DATA:OFXSGML", "VERSION:102", "SECURITY:NONE", "ENCODING:USASCII", "CHARSET:1252",
      "COMPRESSION:NONE", "OLDFILEUID:NONE", "NEWFILEUID:NONE", "",
    ]
    for line in header {
      append(line)
      append("\r\n")
    }
  }

  func open(_ tag: String) throws(RenderError) {
    out.append(UInt8(ascii: "<"))
    append(tag)
    append(">\r\n")
  }

  func close(_ tag: String) throws(RenderError) {
    append("</")
    append(tag)
    append(">\r\n")
    if out.count >= 1 << 16 { try flush() }
  }

  func element(_ tag: String, _ value: String) throws(RenderError) {
    out.append(UInt8(ascii: "<"))
    append(tag)
    out.append(UInt8(ascii: ">"))
    var copy = value
    let ascii = copy.withUTF8 { utf8 in
      // Printable ASCII (codes, numbers, ids) is already Windows-1252.
      guard utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return false }
      escape(UnsafeBufferPointer(rebasing: utf8[...]))
      return true
    }
    if !ascii { Windows1252.encode(value).withUnsafeBufferPointer { escape($0) } }
    append("\r\n")
  }

  func text(_ tag: String, _ value: String, limit: Int) throws(RenderError) {
    encoded.removeAll(keepingCapacity: true)
    var copy = value
    let ascii = copy.withUTF8 { utf8 in
      guard utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return false }
      encoded.append(contentsOf: utf8.prefix(limit))
      return true
    }
    if !ascii { encoded.append(contentsOf: Windows1252.encode(value).prefix(limit)) }
    // SGML parsers trim the value: a cut that ends in spaces would not round-trip.
    var end = encoded.count
    while end > 0 && encoded[end - 1] == 0x20 { end -= 1 }
    var start = 0
    while start < end && encoded[start] == 0x20 { start += 1 }
    out.append(UInt8(ascii: "<"))
    append(tag)
    out.append(UInt8(ascii: ">"))
    if start == end {
      out.append(UInt8(ascii: "?"))
    } else {
      encoded.withUnsafeBufferPointer { escape(UnsafeBufferPointer(rebasing: $0[start..<end])) }
    }
    append("\r\n")
  }

  func finish() throws(RenderError) { try flush() }

  private func append(_ text: String) {
    var text = text
    text.withUTF8 { out.append(UnsafeRawBufferPointer($0)) }
  }

  /// `&`, `<` and `>` as the entities OFX 1 readers decode.
  private func escape(_ value: UnsafeBufferPointer<UInt8>) {
    let p = out.reserve(value.count * 5)
    var w = 0
    for byte in value {
      switch byte {
      case UInt8(ascii: "&"): w = put(p, w, "&amp;")
      case UInt8(ascii: "<"): w = put(p, w, "&lt;")
      case UInt8(ascii: ">"): w = put(p, w, "&gt;")
      default:
        p[w] = byte
        w += 1
      }
    }
    out.commit(w)
  }

  @inline(__always)
  private func put(_ base: UnsafeMutablePointer<UInt8>, _ at: Int, _ entity: StaticString) -> Int {
    (base + at).update(from: entity.utf8Start, count: entity.utf8CodeUnitCount)
    return at + entity.utf8CodeUnitCount
  }

  private func flush() throws(RenderError) {
    guard out.count > 0 else { return }
    try target.emit(out.bytes)
    out.removeAll()
  }
}

/// OFX 2.2: an XML declaration, the `<?OFX …?>` processing instruction, then the elements.
private final class XMLOutput<W: XMLWriting>: OFXOutput {
  private let writer: W

  init(writer: W) { self.writer = writer }

  func start() throws(RenderError) {
    try writer.startDocument(standalone: false)
    try writer.processingInstruction(
      "OFX", "OFXHEADER=\"200\" VERSION=\"220\" SECURITY=\"NONE\" OLDFILEUID=\"NONE\" NEWFILEUID=\"NONE\"")
  }

  func open(_ tag: String) throws(RenderError) { try writer.startElement(tag) }

  func close(_ tag: String) throws(RenderError) { try writer.endElement() }

  func element(_ tag: String, _ value: String) throws(RenderError) { try writer.elementKeepingQuotes(tag, value) }

  func text(_ tag: String, _ value: String, limit: Int) throws(RenderError) {
    // Cut first, then trim: XML Schema's whitespace rules do not trim, but readers do. Line breaks and tabs
    // become spaces, as in OFX 1.02: importers drop them and glue the words together.
    var cut = XMLText.safe(value, maxCharacters: limit)
    if cut.utf8.contains(where: { $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
      cut = String(
        String.UnicodeScalarView(
          cut.unicodeScalars.map { $0 == "\t" || $0 == "\n" || $0 == "\r" ? " " : $0 }))
    }
    // Foundation's trim was a quarter of `--format ofx2`: skipped when both ends are printable ASCII but a space.
    let utf8 = cut.utf8
    let trimmed =
      if let first = utf8.first, let last = utf8.last, (0x21...0x7E).contains(first), (0x21...0x7E).contains(last) {
        cut
      } else {
        cut.trimmingCharacters(in: .whitespaces)
      }
    try writer.elementKeepingQuotes(tag, trimmed.isEmpty ? "?" : trimmed)
  }

  func finish() throws(RenderError) { try writer.finish() }
}
