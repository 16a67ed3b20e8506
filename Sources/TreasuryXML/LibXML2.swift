import CLibXML2
import TreasuryInput
@_spi(Inlining) import TreasuryModel

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// The only file that imports libxml2: every pointer libxml2 hands out or takes
// stays here. Three parts, each under its MARK: a streaming writer
// (xmlTextWriter into a `RenderTarget`; the renderers use `XMLByteWriter`, and
// the tests keep this one as its oracle), compiled XML schemas, and a streaming
// reader (xmlTextReader) that validates against a schema while it reads,
// without building a tree.

/// What went wrong inside libxml2, with its own message when it gave one.
package struct XMLError: Error, Sendable, CustomStringConvertible {
  package var message: String

  package init(_ message: String) { self.message = message }

  package var description: String { message }
}

/// A problem libxml2 reported while reading or validating a document.
package struct XMLDiagnostic: Sendable, Equatable {
  package init(source: Source, line: Int, message: String) {
    self.source = source
    self.line = line
    self.message = message
  }

  package enum Source: Sendable, Equatable {
    /// Not well-formed XML (the reader stops at the first such error).
    case parser
    /// Valid XML that breaks the schema.
    case schema
  }

  package var source: Source
  /// 1-based line, 0 when libxml2 gave none.
  package var line: Int
  package var message: String
}

/// Sets libxml2 up once per process: its parser tables are global, and threads must not race to build them.
private let libxml2Ready: Bool = {
  xmlInitParser()
  return true
}()

/// Collects libxml2's structured errors for the object that installed it.
private final class DiagnosticBox {
  var diagnostics: [XMLDiagnostic] = []
  /// Diagnostics kept; a broken document can raise one per element, the rest would only fill memory.
  static let limit = 10_000

  func record(_ error: UnsafePointer<xmlError>) {
    let e = error.pointee
    let text = e.message.map { String(cString: $0) } ?? "unknown libxml2 error \(e.code)"
    let message = text.trimmingTrailingNewlines
    guard e.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
    // The schema validator reports through the same callback, from its own domain.
    let source: XMLDiagnostic.Source = e.domain == Int32(XML_FROM_SCHEMASV.rawValue) ? .schema : .parser
    if diagnostics.count < Self.limit {
      diagnostics.append(XMLDiagnostic(source: source, line: Int(e.line), message: message))
    }
  }
}

/// The C callback libxml2 calls with each error; `context` is an unretained `DiagnosticBox`.
private let recordDiagnostic: CLibXML2_ErrorSink = { context, error in
  guard let context, let error else { return }
  Unmanaged<DiagnosticBox>.fromOpaque(context).takeUnretainedValue().record(error)
}

/// Swallows errors that have no context of their own (libxml2's default prints them to stderr).
private let ignoreDiagnostic: CLibXML2_ErrorSink = { _, _ in }

extension String {
  fileprivate var trimmingTrailingNewlines: String {
    var s = Substring(self)
    while let last = s.last, last == "\n" || last == "\r" { s = s.dropLast() }
    return String(s)
  }
}

// MARK: - Writing

/// Gathers libxml2's output into large pieces for a `RenderTarget`, keeping the first error it throws.
private final class OutputBox {
  let target: RenderTarget
  var pending: [UInt8] = []
  var error: OutputError?
  let flushAt = 1 << 18

  init(target: RenderTarget) {
    self.target = target
    pending.reserveCapacity(flushAt + 8192)
  }

  func accept(_ bytes: UnsafeRawBufferPointer) -> Bool {
    guard error == nil else { return false }
    pending.append(contentsOf: bytes)
    return pending.count < flushAt || flush()
  }

  func flush() -> Bool {
    guard error == nil else { return false }
    guard !pending.isEmpty else { return true }
    do {
      try pending.withTypedBytes { (raw) throws(OutputError) in try target.write(raw) }
      pending.removeAll(keepingCapacity: true)
      return true
    } catch {
      self.error = error
      return false
    }
  }
}

/// The write callback of the output buffer; `context` is an unretained `OutputBox`.
private let writeOutput: xmlOutputWriteCallback = { context, buffer, length in
  guard let context else { return -1 }
  let box = Unmanaged<OutputBox>.fromOpaque(context).takeUnretainedValue()
  guard length > 0, let buffer else { return 0 }
  return box.accept(UnsafeRawBufferPointer(start: buffer, count: Int(length))) ? length : -1
}

/// Streams an XML document into a `RenderTarget` through libxml2's xmlTextWriter, with no tree in memory.
///
/// The oracle of `XMLByteWriter`, which the renderers use: `XMLWriterOracleTests`
/// give both the same calls and compare the bytes. It stays in this target
/// because the layer lint confines libxml2 to this file.
///
/// Text goes through `XMLText` first (forbidden characters replaced, optional
/// cut), then libxml2 escapes `& < > "` and CR. Element and attribute names are
/// the caller's constants. Call `finish()` to complete the document; a writer
/// dropped without it frees libxml2's state and leaves the target incomplete.
package final class XMLStreamWriter: XMLWriting {
  // One writer belongs to one document on one thread; Swift's dynamic exclusivity checks on these two,
  // touched for every element, cost about 4% of a camt.053 run (as ByteBuffer explains).
  @exclusivity(unchecked) private var writer: xmlTextWriterPtr?
  private let output: OutputBox
  private let retainedOutput: Unmanaged<OutputBox>
  @exclusivity(unchecked) private var text: [UInt8] = []
  /// `text` escaped by `elementKeepingQuotes`, kept to spare an allocation per element.
  @exclusivity(unchecked) private var raw: [UInt8] = []

  /// `indent`: the string for each nesting level, or nil for one long line.
  package init(target: RenderTarget, indent: String? = "  ") throws(RenderError) {
    _ = libxml2Ready
    output = OutputBox(target: target)
    retainedOutput = Unmanaged.passRetained(output)
    // The writer's errors have no context of their own and would go to this thread's handler, which
    // prints to stderr by default: silence it (with no context pointer that could outlive us).
    // Failures still surface as return codes, and a failing target as its own error.
    CLibXML2_setThreadErrors(ignoreDiagnostic, nil)
    guard let buffer = xmlOutputBufferCreateIO(writeOutput, nil, retainedOutput.toOpaque(), nil) else {
      retainedOutput.release()
      throw .failed("cannot start the XML writer (out of memory)")
    }
    guard let writer = xmlNewTextWriter(buffer) else {
      xmlOutputBufferClose(buffer)
      retainedOutput.release()
      throw .failed("cannot start the XML writer (out of memory)")
    }
    self.writer = writer
    if let indent {
      xmlTextWriterSetIndent(writer, 1)
      _ = indent.withCString {
        xmlTextWriterSetIndentString(writer, UnsafeRawPointer($0).assumingMemoryBound(to: xmlChar.self))
      }
    }
    text.reserveCapacity(1024)
  }

  deinit {
    if let writer { xmlFreeTextWriter(writer) }
    retainedOutput.release()
  }

  /// `<?xml version="1.0" encoding="UTF-8"?>`, with `standalone="yes|no"` when given.
  package func startDocument(standalone: Bool?) throws(RenderError) {
    let flag = standalone.map { $0 ? "yes" : "no" }
    try check(xmlTextWriterStartDocument(try open(), "1.0", "UTF-8", flag), "start the document")
  }

  /// `<?target content?>` (OFX 2's `<?OFX …?>` header); both are the caller's constants.
  package func processingInstruction(_ target: String, _ content: String) throws(RenderError) {
    let writer = try open()
    let code = target.withXMLChars { t in content.withXMLChars { xmlTextWriterWritePI(writer, t, $0) } }
    try check(code, "write the processing instruction \(target)")
  }

  package func startElement(_ name: String) throws(RenderError) {
    let writer = try open()
    try check(name.withXMLChars { xmlTextWriterStartElement(writer, $0) }, "start <\(name)>")
  }

  /// An attribute of the element just started; its value is made safe like text.
  package func attribute(_ name: String, _ value: String) throws(RenderError) {
    let writer = try open()
    try prepare(value, maxCharacters: .max)
    let code = name.withXMLChars { n in
      text.withUnsafeBufferPointer { xmlTextWriterWriteAttribute(writer, n, $0.baseAddress) }
    }
    try check(code, "write the attribute \(name)")
  }

  package func endElement() throws(RenderError) {
    try check(xmlTextWriterEndElement(try open()), "end an element")
  }

  /// `<name>text</name>`, the text made safe and cut to `maxCharacters`.
  package func element(_ name: String, _ value: String, maxCharacters: Int) throws(RenderError) {
    try prepare(value, maxCharacters: maxCharacters)
    try writeElement(name)
  }

  /// `<name>text</name>` from UTF-8 bytes (a symbol's), made safe and cut to `maxCharacters`.
  package func element(_ name: String, bytes: UnsafeRawBufferPointer, maxCharacters: Int) throws(RenderError) {
    text.removeAll(keepingCapacity: true)
    XMLText.append(bytes, maxCharacters: maxCharacters, to: &text)
    text.append(0)
    try writeElement(name)
  }

  /// `<name>text</name>` with `"` and `'` written as themselves: only `& < >` and CR are escaped.
  ///
  /// For readers built on an SGML parser with a DTD that declares no `&quot;` (libofx's OFX DTD drops
  /// what it cannot resolve); XML parsers read both forms alike.
  package func elementKeepingQuotes(_ name: String, _ value: String, maxCharacters: Int) throws(RenderError) {
    try prepare(value, maxCharacters: maxCharacters)
    raw.removeAll(keepingCapacity: true)
    for byte in text.dropLast() {
      switch byte {
      case UInt8(ascii: "&"): raw.append(contentsOf: "&amp;".utf8)
      case UInt8(ascii: "<"): raw.append(contentsOf: "&lt;".utf8)
      case UInt8(ascii: ">"): raw.append(contentsOf: "&gt;".utf8)
      case 0x0D: raw.append(contentsOf: "&#13;".utf8)
      default: raw.append(byte)
      }
    }
    raw.append(0)
    let writer = try open()
    try check(name.withXMLChars { xmlTextWriterStartElement(writer, $0) }, "start <\(name)>")
    let code = raw.withUnsafeBufferPointer { xmlTextWriterWriteRaw(writer, $0.baseAddress) }
    try check(code, "write <\(name)>")
    try check(xmlTextWriterEndElement(writer), "end <\(name)>")
  }

  /// Character data inside the element just started, from UTF-8 bytes, made safe.
  package func text(bytes: UnsafeRawBufferPointer) throws(RenderError) {
    let writer = try open()
    text.removeAll(keepingCapacity: true)
    XMLText.append(bytes, to: &text)
    text.append(0)
    let code = text.withUnsafeBufferPointer { xmlTextWriterWriteString(writer, $0.baseAddress) }
    try check(code, "write text")
  }

  /// Closes every open element, ends the document and hands the last bytes to the target.
  package func finish() throws(RenderError) {
    let writer = try open()
    try check(xmlTextWriterEndDocument(writer), "end the document")
    try check(xmlTextWriterFlush(writer), "flush the document")
    // Freeing the writer closes its output buffer, which flushes into the box.
    xmlFreeTextWriter(writer)
    self.writer = nil
    if let error = output.error { throw .output(error) }
    guard output.flush() else { throw output.error.map(RenderError.output) ?? .failed("cannot write the document") }
  }

  private func prepare(_ value: String, maxCharacters: Int) throws(RenderError) {
    text.removeAll(keepingCapacity: true)
    var copy = value
    _ = copy.withUTF8 { XMLText.append(UnsafeRawBufferPointer($0), maxCharacters: maxCharacters, to: &text) }
    text.append(0)
  }

  private func writeElement(_ name: String) throws(RenderError) {
    let writer = try open()
    let code = name.withXMLChars { n in
      text.withUnsafeBufferPointer { xmlTextWriterWriteElement(writer, n, $0.baseAddress) }
    }
    try check(code, "write <\(name)>")
  }

  private func open() throws(RenderError) -> xmlTextWriterPtr {
    guard let writer else { throw .failed("the XML document is already finished") }
    return writer
  }

  /// `what` is built only on failure: interpolating element names on every call cost about 4% of a camt.053 run.
  private func check(_ code: Int32, _ what: @autoclosure () -> String) throws(RenderError) {
    guard code < 0 else { return }
    // A failing target is the real cause; libxml2 only saw a short write.
    if let error = output.error { throw .output(error) }
    throw .failed("libxml2 could not \(what()) (out of memory, or elements out of order)")
  }
}

extension String {
  /// Calls `body` with the string as a NUL-terminated `xmlChar` pointer.
  fileprivate func withXMLChars<R>(_ body: (UnsafePointer<xmlChar>) -> R) -> R {
    withCString { body(UnsafeRawPointer($0).assumingMemoryBound(to: xmlChar.self)) }
  }
}

// MARK: - Schemas

/// An XML schema (XSD) compiled by libxml2, ready to validate any number of documents, from any thread.
package final class XMLSchema: @unchecked Sendable {
  // Read-only once parsed: libxml2 keeps validation state in per-document contexts.
  fileprivate let schema: xmlSchemaPtr

  /// Compiles a schema from its bytes; `name` is for messages.
  package init(bytes: UnsafeRawBufferPointer, name: String) throws(XMLError) {
    _ = libxml2Ready
    guard let base = bytes.baseAddress, bytes.count > 0, bytes.count <= Int(Int32.max) else {
      throw XMLError("the schema \(name) is empty")
    }
    let box = DiagnosticBox()
    let retained = Unmanaged.passRetained(box)
    defer { retained.release() }
    guard let parser = xmlSchemaNewMemParserCtxt(base.assumingMemoryBound(to: CChar.self), Int32(bytes.count)) else {
      throw XMLError("cannot read the schema \(name)")
    }
    defer { xmlSchemaFreeParserCtxt(parser) }
    CLibXML2_setSchemaParserErrors(parser, recordDiagnostic, retained.toOpaque())
    guard let schema = xmlSchemaParse(parser) else {
      let reason = box.diagnostics.first.map { "line \($0.line): \($0.message)" } ?? "unknown error"
      throw XMLError("cannot compile the schema \(name): \(reason)")
    }
    self.schema = schema
  }

  deinit { xmlSchemaFree(schema) }
}

// MARK: - Reading

/// Feeds libxml2 from a `ByteSource`, keeping the first error it throws.
private final class InputBox {
  let source: ByteSource
  var error: InputError?

  init(source: ByteSource) { self.source = source }
}

/// The read callback of the reader; `context` is an unretained `InputBox`.
private let readInput: xmlInputReadCallback = { context, buffer, length in
  guard let context, let buffer, length >= 0 else { return -1 }
  let box = Unmanaged<InputBox>.fromOpaque(context).takeUnretainedValue()
  guard box.error == nil else { return -1 }
  do throws(InputError) {
    return Int32(try box.source.read(into: UnsafeMutableRawBufferPointer(start: buffer, count: Int(length))))
  } catch {
    box.error = error
    return -1
  }
}

/// One step through a document read by `XMLStreamReader`.
package enum XMLNode: Sendable, Equatable {
  /// An element's start tag; `isEmpty` for `<a/>`, which has no `.end`.
  case start(name: String, namespace: String, line: Int, isEmpty: Bool)
  case end(name: String)
  /// Character data (text or CDATA); whitespace between elements is skipped.
  case text(String)
  /// A DOCTYPE declaration.
  case documentType(line: Int)
}

/// Why a document could not be read at all.
package enum XMLReadFailure: Error, Sendable {
  /// The file is missing or unreadable (`reason` from the system).
  case unreadable(path: String, reason: String)
  /// The source failed part way (corrupt gzip, a read error).
  case input(InputError)
  case libxml2(path: String, reason: String)

  package var message: String {
    switch self {
    case .unreadable(let path, let reason): return "\(path): error: cannot read: \(reason)"
    case .input(let error): return error.message
    case .libxml2(let path, let reason): return "\(path): error: cannot read: \(reason)"
    }
  }
}

/// Reads a document node by node with libxml2's xmlTextReader (no tree), optionally validating it against a schema.
///
/// Memory stays flat however long the document is. Problems from the parser
/// and the validator collect in `diagnostics` as they are found, which may be a
/// little ahead of the node `next()` last returned (the parser reads in chunks).
/// Network access and external entities are off.
package final class XMLStreamReader {
  private var reader: xmlTextReaderPtr?
  private var validator: xmlSchemaValidCtxtPtr?
  private let box = DiagnosticBox()
  private let retainedBox: Unmanaged<DiagnosticBox>
  private let schema: XMLSchema?
  private var input: InputBox?
  private var retainedInput: Unmanaged<InputBox>?
  private var finished = false
  private var names = NameCache()

  /// Reads the bytes of `source` (a file, or a gzip file through `GzipByteSource`); `name` is for messages.
  package init(source: ByteSource, name: String, schema: XMLSchema?) throws(XMLReadFailure) {
    _ = libxml2Ready
    CLibXML2_silenceGenericErrors()
    self.schema = schema
    retainedBox = Unmanaged.passRetained(box)
    let input = InputBox(source: source)
    retainedInput = Unmanaged.passRetained(input)
    self.input = input
    guard let reader = xmlReaderForIO(readInput, nil, retainedInput?.toOpaque(), name, nil, Self.options) else {
      throw .libxml2(path: name, reason: "libxml2 could not start reading (out of memory)")
    }
    self.reader = reader
    // With a schema attached, libxml2 raises the parser's own errors (not well-formed XML) without the
    // reader's handler; they reach the thread's handler, which collects them here until this reader is freed.
    CLibXML2_setThreadErrors(recordDiagnostic, retainedBox.toOpaque())
    try attach(schema, path: name)
  }

  deinit {
    CLibXML2_setThreadErrors(ignoreDiagnostic, nil)
    if let reader { xmlFreeTextReader(reader) }
    if let validator { xmlSchemaFreeValidCtxt(validator) }
    retainedInput?.release()
    retainedBox.release()
  }

  /// No network, no DTD loading, no entity substitution; line numbers beyond 65535 kept. (A document with a
  /// DOCTYPE is refused by `prologue` before this reader sees it.)
  private static let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_BIG_LINES.rawValue)

  private func attach(_ schema: XMLSchema?, path: String) throws(XMLReadFailure) {
    guard let reader else { return }
    CLibXML2_setReaderErrors(reader, recordDiagnostic, retainedBox.toOpaque())
    guard let schema else { return }
    guard let validator = xmlSchemaNewValidCtxt(schema.schema) else {
      throw .libxml2(path: path, reason: "cannot start schema validation (out of memory)")
    }
    self.validator = validator
    CLibXML2_setSchemaValidErrors(validator, recordDiagnostic, retainedBox.toOpaque())
    guard xmlTextReaderSchemaValidateCtxt(reader, validator, 0) == 0 else {
      throw .libxml2(path: path, reason: "cannot attach the schema validator")
    }
  }

  /// Problems found so far, in the order libxml2 reported them.
  package var diagnostics: [XMLDiagnostic] { box.diagnostics }

  /// Why the source stopped giving bytes (unreadable, corrupt gzip), if it did.
  package var sourceError: InputError? { input?.error }

  /// The next node, or nil at the end of the document or after an error that stops parsing.
  package func next() -> XMLNode? {
    guard let reader, !finished else { return nil }
    while true {
      let code = xmlTextReaderRead(reader)
      guard code == 1 else {
        finish(reader, failed: code < 0)
        return nil
      }
      switch xmlTextReaderNodeType(reader) {
      case Int32(XML_READER_TYPE_ELEMENT.rawValue):
        let line = xmlTextReaderCurrentNode(reader).map { Int(xmlGetLineNo($0)) } ?? 0
        return .start(
          name: names.string(xmlTextReaderConstLocalName(reader)),
          namespace: names.string(xmlTextReaderConstNamespaceUri(reader)), line: line,
          isEmpty: xmlTextReaderIsEmptyElement(reader) == 1)
      case Int32(XML_READER_TYPE_END_ELEMENT.rawValue):
        return .end(name: names.string(xmlTextReaderConstLocalName(reader)))
      case Int32(XML_READER_TYPE_TEXT.rawValue), Int32(XML_READER_TYPE_CDATA.rawValue):
        return .text(Self.string(xmlTextReaderConstValue(reader)))
      case Int32(XML_READER_TYPE_DOCUMENT_TYPE.rawValue):
        // Nothing after a DOCTYPE is read: its entities could expand without bound (`prologue` refuses it
        // before its declarations are even parsed; this is for a file that changed in between).
        let line = xmlTextReaderCurrentNode(reader).map { Int(xmlGetLineNo($0)) } ?? 0
        finished = true
        return .documentType(line: line)
      default:
        continue
      }
    }
  }

  /// The value of attribute `name` (no namespace) of the element `next()` just returned.
  package func attribute(_ name: String) -> String? {
    guard let reader, xmlTextReaderHasAttributes(reader) == 1 else { return nil }
    let found = name.withXMLChars { xmlTextReaderMoveToAttribute(reader, $0) }
    guard found == 1 else { return nil }
    defer { xmlTextReaderMoveToElement(reader) }
    return Self.string(xmlTextReaderConstValue(reader))
  }

  private func finish(_ reader: xmlTextReaderPtr, failed: Bool) {
    finished = true
    // A document the validator rejected without saying why still must not pass.
    if schema != nil && !failed && xmlTextReaderIsValid(reader) != 1
      && !box.diagnostics.contains(where: { $0.source == .schema })
    {
      box.diagnostics.append(
        XMLDiagnostic(source: .schema, line: 0, message: "the document is not valid against the schema"))
    }
    if failed && box.diagnostics.isEmpty {
      box.diagnostics.append(XMLDiagnostic(source: .parser, line: 0, message: "the document cannot be read as XML"))
    }
  }

  private static func string(_ pointer: UnsafePointer<xmlChar>?) -> String {
    guard let pointer else { return "" }
    return String(cString: pointer)
  }
}

// MARK: - Prologue

/// What a document holds before its root element's content.
package enum XMLPrologue: Sendable, Equatable {
  /// The root element's start tag.
  case root(name: String, namespace: String, line: Int)
  /// A DOCTYPE, met before anything it declares was read.
  case documentType(line: Int)
  /// Neither: the document is empty or broke first (see the diagnostics).
  case nothing
}

/// What `XMLStreamReader.prologue` found, with the problems libxml2 reported on the way.
package struct XMLPrologueResult: Sendable {
  package var prologue: XMLPrologue
  package var diagnostics: [XMLDiagnostic]
  /// Why the source stopped giving bytes (unreadable, corrupt gzip), if it did.
  package var sourceError: InputError?
}

/// One prologue read, reached from the SAX callbacks as libxml2's user data.
private final class PrologueBox {
  let diagnostics = DiagnosticBox()
  var prologue = XMLPrologue.nothing
  var parser: xmlParserCtxtPtr?

  var line: Int { Int(parser?.pointee.input?.pointee.line ?? 0) }

  func found(_ prologue: XMLPrologue) {
    self.prologue = prologue
    if let parser { xmlStopParser(parser) }
  }
}

private let prologueDocumentType: internalSubsetSAXFunc = { context, _, _, _ in
  guard let context else { return }
  let box = Unmanaged<PrologueBox>.fromOpaque(context).takeUnretainedValue()
  box.found(.documentType(line: box.line))
}

private let prologueRoot: startElementNsSAX2Func = { context, name, _, namespace, _, _, _, _, _ in
  guard let context else { return }
  let box = Unmanaged<PrologueBox>.fromOpaque(context).takeUnretainedValue()
  let text = { (pointer: UnsafePointer<xmlChar>?) in pointer.map { String(cString: $0) } ?? "" }
  box.found(.root(name: text(name), namespace: text(namespace), line: box.line))
}

private let prologueDiagnostic: CLibXML2_ErrorSink = { context, error in
  guard let context, let error else { return }
  Unmanaged<PrologueBox>.fromOpaque(context).takeUnretainedValue().diagnostics.record(error)
}

extension XMLStreamReader {
  /// Reads a document only up to its root element's start tag, with libxml2's SAX parser, and stops there.
  ///
  /// A DOCTYPE stops it as soon as its name is read, before its internal
  /// subset: no entity is declared, none expanded, nothing external fetched,
  /// whatever the document's encoding (libxml2 decodes, then reports it).
  package static func prologue(source: ByteSource, name: String) throws(XMLReadFailure) -> XMLPrologueResult {
    _ = libxml2Ready
    CLibXML2_silenceGenericErrors()
    let box = PrologueBox()
    let input = InputBox(source: source)
    let retainedBox = Unmanaged.passRetained(box)
    let retainedInput = Unmanaged.passRetained(input)
    defer {
      retainedBox.release()
      retainedInput.release()
    }
    var handler = xmlSAXHandler()
    handler.initialized = UInt32(XML_SAX2_MAGIC)
    handler.internalSubset = prologueDocumentType
    handler.startElementNs = prologueRoot
    CLibXML2_setSAXErrors(&handler, prologueDiagnostic)
    guard
      let parser = xmlCreateIOParserCtxt(
        &handler, retainedBox.toOpaque(), readInput, nil, retainedInput.toOpaque(), XML_CHAR_ENCODING_NONE)
    else {
      throw .libxml2(path: name, reason: "libxml2 could not start reading (out of memory)")
    }
    defer { xmlFreeParserCtxt(parser) }
    box.parser = parser
    xmlCtxtUseOptions(parser, options)
    xmlParseDocument(parser)
    box.parser = nil
    return XMLPrologueResult(
      prologue: box.prologue, diagnostics: box.diagnostics.diagnostics, sourceError: input.error)
  }
}

/// Element names and namespaces as Swift strings, made once per distinct name.
///
/// The reader hands out names from its dictionary, so a name keeps its
/// address; the cache is keyed by it, and checks the bytes too, so a reused
/// address can never give a stale name.
private struct NameCache {
  private var entries: [UnsafePointer<xmlChar>: (bytes: [UInt8], string: String)] = [:]

  mutating func string(_ pointer: UnsafePointer<xmlChar>?) -> String {
    guard let pointer else { return "" }
    let length = strlen(UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self))
    if let entry = entries[pointer], entry.bytes.count == length,
      entry.bytes.withUnsafeBufferPointer({ $0.elementsEqual(UnsafeBufferPointer(start: pointer, count: length)) })
    {
      return entry.string
    }
    let bytes = Array(UnsafeBufferPointer(start: pointer, count: length))
    let string = String(decoding: bytes, as: UTF8.self)
    if entries.count < 4096 { entries[pointer] = (bytes, string) }
    return string
  }
}
