import Crypto
import Foundation
import Testing

@testable import TreasuryJob
@_spi(Inlining) @testable import TreasuryModel
@testable import TreasuryOutput
@testable import TreasuryValidate
@testable import TreasuryXML

/// A target that fails after `limit` bytes, like a full disk.
private final class FailingTarget: RenderTarget {
  var written = 0
  let limit: Int

  init(limit: Int) { self.limit = limit }

  func write(_ bytes: UnsafeRawBufferPointer) throws(OutputError) {
    written += bytes.count
    if written > limit { throw .cannotWrite(path: "out/statement.xml", reason: "No space left on device") }
  }
}

@Suite struct LibXML2Tests {
  @Test func writerEscapesTextAndReadsBackTheSame() throws {
    let target = MemoryTarget()
    let writer = try XMLStreamWriter(target: target)
    try writer.startDocument()
    try writer.startElement("Root")
    try writer.attribute("Ccy", "A&\"B<")
    try writer.element("Text", "Fish & Chips <Ltd> \"q\" 'x' ]]> \r\n💸")
    try writer.element("Ctrl", "bell\u{7}end")
    try writer.endElement()
    try writer.finish()
    let text = target.text
    #expect(text.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Root Ccy=\"A&amp;&quot;B&lt;\">"))
    #expect(text.contains("Fish &amp; Chips &lt;Ltd&gt;"))
    #expect(text.contains("&#13;"))
    #expect(!text.unicodeScalars.contains { $0.value == 7 })

    let reader = try XMLStreamReader(source: MemorySource(target.bytes), name: "doc", schema: nil)
    var texts: [String] = []
    var ccy: String?
    while let node = reader.next() {
      if case .text(let t) = node { texts.append(t) }
      if case .start(let name, _, _, _) = node, name == "Root" { ccy = reader.attribute("Ccy") }
    }
    #expect(reader.diagnostics.isEmpty)
    #expect(ccy == "A&\"B<")
    #expect(texts == ["Fish & Chips <Ltd> \"q\" 'x' ]]> \r\n💸", "bell\u{FFFD}end"])
  }

  @Test func aFailingTargetsErrorReachesTheCaller() throws {
    let target = FailingTarget(limit: 100_000)
    let writer = try XMLStreamWriter(target: target)
    var caught: RenderError?
    do throws(RenderError) {
      try writer.startDocument()
      try writer.startElement("Root")
      for i in 0..<100_000 { try writer.element("Line", "line \(i) of a long document") }
      try writer.endElement()
      try writer.finish()
    } catch {
      caught = error
    }
    #expect(caught == .output(.cannotWrite(path: "out/statement.xml", reason: "No space left on device")))
  }

  @Test func writerStreamsInBoundedPieces() throws {
    // 200k elements (about 6 MB) reach the target in pieces of at most 256 KiB + one libxml2 chunk.
    final class Pieces: RenderTarget {
      var sizes: [Int] = []
      func write(_ bytes: UnsafeRawBufferPointer) { sizes.append(bytes.count) }
    }
    let target = Pieces()
    let writer = try XMLStreamWriter(target: target)
    try writer.startDocument()
    try writer.startElement("Root")
    for i in 0..<200_000 { try writer.element("Line", "line \(i)") }
    try writer.endElement()
    try writer.finish()
    #expect(target.sizes.count > 10)
    #expect(target.sizes.allSatisfy { $0 <= (1 << 18) + 65_536 })
  }

  @Test func readerReportsMalformedXMLWithItsLine() throws {
    let reader = try XMLStreamReader(
      source: MemorySource(Array("<a>\n<b>\n</a>\n".utf8)), name: "bad.xml", schema: nil)
    while reader.next() != nil {}
    let first = try #require(reader.diagnostics.first)
    #expect(first.source == .parser)
    #expect(first.line == 3)
    #expect(first.message.contains("mismatch"))
  }

  @Test func readerRefusesAMissingFile() {
    #expect(throws: XMLReadFailure.self) { try Camt053Validator.validate(path: "/nonexistent/statement.xml") }
  }

  /// The embedded schemas are the repository's files, byte for byte, and those are the published ones.
  @Test(arguments: Camt053Version.allCases)
  func embeddedSchemasAreTheUnchangedOfficialFiles(version: Camt053Version) throws {
    let embedded = try #require(EmbeddedSchemas.camt053(version: version.rawValue))
    let file = try Data(contentsOf: URL(fileURLWithPath: CamtSupport.schemaPath(version)))
    #expect(Data(embedded) == file)
    let sums = TestSupport.text(TestSupport.root.appendingPathComponent("Sources/CCamtSchemas/schemas/SHA256SUMS").path)
    let digest = Hex.string(SHA256.hash(data: Data(embedded)))
    #expect(sums.contains("\(digest)  \(version.name).xsd"))
    #expect(EmbeddedSchemas.camt053(version: 3) == nil)
    // And libxml2 compiles them.
    _ = try Camt053Schemas.schema(for: version)
  }
}
