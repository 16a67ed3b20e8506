import Foundation
import Testing

@testable import TreasuryInput
@testable import TreasuryLedger
@_spi(Inlining) @testable import TreasuryModel
@testable import TreasuryRender
@testable import TreasuryXML

/// Both writers given the same calls; the bytes each produced, or the error it threw.
private func bothWriters(
  indent: String?, _ calls: (any XMLWriting) throws(RenderError) -> Void
) throws -> (swift: Result<[UInt8], RenderError>, libxml2: Result<[UInt8], RenderError>) {
  func run(_ writer: any XMLWriting, _ target: MemoryTarget) -> Result<[UInt8], RenderError> {
    do throws(RenderError) {
      try calls(writer)
      return .success(target.bytes)
    } catch {
      return .failure(error)
    }
  }
  let swiftTarget = MemoryTarget()
  let libxml2Target = MemoryTarget()
  let swift = run(XMLByteWriter(target: swiftTarget, indent: indent), swiftTarget)
  let libxml2 = run(try XMLStreamWriter(target: libxml2Target, indent: indent), libxml2Target)
  return (swift, libxml2)
}

private func same(_ a: Result<[UInt8], RenderError>, _ b: Result<[UInt8], RenderError>) -> Bool {
  switch (a, b) {
  case (.success(let x), .success(let y)): return x == y
  case (.failure, .failure): return true
  default: return false
  }
}

/// `XMLByteWriter` against the oracle it replaces, libxml2's xmlTextWriter (`XMLStreamWriter`): same calls, same bytes.
@Suite struct XMLWriterOracleTests {
  /// Random documents of every shape the writers allow, with hostile text in every place text goes.
  @Test func randomCallSequencesGiveTheSameBytes() throws {
    var random = Seeded(state: 17)
    for round in 0..<300 {
      let indent = random.pick([nil, "", "  ", "\t"] as [String?])
      let seed = random.next()
      let result = try bothWriters(indent: indent) { (writer) throws(RenderError) in
        var r = Seeded(state: seed)
        try writer.startDocument(standalone: r.pick([nil, true, false] as [Bool?]))
        if r.chance(30) { try writer.processingInstruction("OFX", "OFXHEADER=\"200\" VERSION=\"220\"") }
        func tree(_ depth: Int) throws(RenderError) {
          try writer.startElement(r.pick(["Root", "A", "Ntry", "Amt"]))
          for _ in 0..<(r.chance(30) ? r.below(3) : 0) {
            try writer.attribute(r.pick(["Ccy", "xmlns", "b"]), hostileText(&r))
          }
          for _ in 0..<r.below(6) {
            let limit = r.chance(70) ? Int.max : r.below(40)
            switch r.below(6) {
            case 0: try writer.element("T", hostileText(&r), maxCharacters: limit)
            case 1:
              var bytes = Array(hostileText(&r).utf8)
              // Invalid UTF-8 too: symbols hold what the reader kept.
              if r.chance(30) { bytes.insert(r.pick([0xFF, 0xC3, 0x80, 0xED]), at: r.below(bytes.count + 1)) }
              try bytes.withTypedBytes { (raw) throws(RenderError) in
                try writer.element("B", bytes: raw, maxCharacters: limit)
              }
            case 2: try writer.elementKeepingQuotes("Q", hostileText(&r), maxCharacters: limit)
            case 3:
              try Array(hostileText(&r).utf8).withTypedBytes { (raw) throws(RenderError) in try writer.text(bytes: raw)
              }
            case 4 where depth < 4: try tree(depth + 1)
            default: try writer.element("E", r.pick(["", "1", "CRDT"]))
            }
          }
          // Sometimes left open for `finish` to close.
          if r.chance(85) { try writer.endElement() }
        }
        try tree(0)
        try writer.finish()
      }
      guard case .success = result.libxml2 else {
        Issue.record("round \(round): libxml2 failed: \(result.libxml2)")
        continue
      }
      #expect(same(result.swift, result.libxml2), "round \(round) (indent \(String(describing: indent))) differs")
    }
  }

  /// Each special character alone, in element text and in an attribute, as libxml2 escapes it.
  @Test func eachCharacterIsEscapedAsLibxml2Does() throws {
    var scalars: [Unicode.Scalar] = (0x00..<0x100).compactMap { Unicode.Scalar(UInt32($0)) }
    scalars += ["\u{D7FF}", "\u{E000}", "\u{FFFD}", "\u{FFFE}", "\u{FFFF}", "\u{10000}", "\u{1F4B8}", "\u{10FFFF}"]
    for scalar in scalars {
      let text = "a" + String(scalar) + "b"
      let result = try bothWriters(indent: "  ") { (writer) throws(RenderError) in
        try writer.startDocument(standalone: nil)
        try writer.startElement("R")
        try writer.attribute("v", text)
        try writer.element("T", text, maxCharacters: .max)
        try writer.elementKeepingQuotes("Q", text, maxCharacters: .max)
        try writer.finish()
      }
      #expect(same(result.swift, result.libxml2), "U+\(String(scalar.value, radix: 16)) differs")
    }
    // What that means, spelled out for the characters that matter.
    let target = MemoryTarget()
    let writer = XMLByteWriter(target: target, indent: "  ")
    try writer.startDocument()
    try writer.startElement("R")
    try writer.attribute("v", "&<>\"\t\n\ré")
    try writer.element("T", "&<>\"'\t\n\r\u{7}é💸")
    try writer.elementKeepingQuotes("Q", "&<>\"'\r")
    try writer.finish()
    #expect(
      target.text == """
        <?xml version="1.0" encoding="UTF-8"?>
        <R v="&amp;&lt;&gt;&quot;&#9;&#10;&#13;é">
          <T>&amp;&lt;&gt;&quot;'\t\n&#13;\u{FFFD}é💸</T>
          <Q>&amp;&lt;&gt;"'&#13;</Q>
        </R>

        """)
  }

  /// Every statement of the sample dumps (those behind the golden files), in both zones, as camt.053 (both
  /// versions, with and without pending entries) and OFX 2.2, through both writers.
  @Test func sampleStatementsAreTheSameThroughBothWriters() throws {
    let catalog = try InputCatalog.discover(
      [TestSupport.root.appendingPathComponent("samples").path], defaultAccount: "")
    var store = LedgerStore()
    var invalid: [InvalidLine] = []
    for (index, file) in catalog.files.enumerated() {
      var reader = DumpFileReader()
      _ = try reader.read(file, index: Int32(index), into: &store, invalid: &invalid)
    }
    var compared = 0
    for zone in ["UTC", "America/New_York"] {
      let timeZone = try #require(TimeZone(identifier: zone))
      let calendar = PeriodCalendar(zone: timeZone, interval: .month)
      let periods = calendar.periods(from: 1_767_225_600, through: 1_777_593_600)  // 2026-01-01 … 2026-05-01
      var statements: [Statement] = []
      for ledger in store.ledgers() {
        let fa = store.symbols.string(ledger.financialAccount)
        _ = try StatementBuilder(includeLines: true).build(
          ledger, periods: periods, symbols: store.symbols, account: "", header: store.financialAccounts[fa]
        ) { statements.append($0) }
      }
      for statement in statements {
        compared += try compare(statement, store.symbols, zone: timeZone)
      }
    }
    #expect(compared >= 40)
  }

  /// Random statements with hostile descriptions, holder and bank names and flow types (seeded), through both
  /// writers, as camt.053 and OFX 2.2: a few hundred statements.
  @Test func randomStatementsAreTheSameThroughBothWriters() throws {
    var random = Seeded(state: 2026)
    var compared = 0
    for (statement, symbols, zone) in try hostileStatements(&random, dumps: 60) {
      compared += try compare(statement, symbols, zone: zone)
    }
    // 60 dumps × 1 or 2 periods × 5 documents.
    #expect(compared >= 300)
  }

  /// The documents of one statement through both writers; returns how many were compared.
  private func compare(_ statement: Statement, _ symbols: SymbolTable, zone: TimeZone) throws -> Int {
    let time = LocalTimeFormatter(zone: zone)
    var compared = 0
    for version in Camt053Version.allCases {
      for pending in [false, true] {
        let document = Camt053Document(version: version, includePending: pending)
        let result = try bothWriters(indent: "") { (writer) throws(RenderError) in
          _ = try document.render(statement, symbols: symbols, time: time, asOf: .max, writer: writer)
        }
        #expect(try result.libxml2.get() == result.swift.get(), "camt.053 \(version) \(statement.key) differs")
        compared += 1
      }
    }
    let ofx = OFXDocument(version: .v2)
    let result = try bothWriters(indent: "  ") { (writer) throws(RenderError) in
      _ = try ofx.renderXML(statement, symbols: symbols, time: time, asOf: .max, writer: writer)
    }
    #expect(try result.libxml2.get() == result.swift.get(), "OFX 2 \(statement.key) differs")
    return compared + 1
  }
}
