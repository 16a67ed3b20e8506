@_spi(Inlining) import TreasuryModel

/// Streams an XML document into a `RenderTarget` byte by byte, writing exactly what libxml2's xmlTextWriter writes.
///
/// The statement renderers' writer: it appends into one reused buffer and
/// hands the target pieces of about 256 KiB. Its output is byte-for-byte that
/// of `XMLStreamWriter` (libxml2 2.9's xmlTextWriter), which the tests keep as
/// the oracle (`XMLWriterOracleTests`): the same declaration, the same
/// indentation (with an indent string, each start tag on its own line, the
/// string once per ancestor, an element holding only text on one line; with an
/// empty one, line breaks alone), `<a/>` for an element with nothing in it, a
/// final line break. Escaping, after `XMLText` has made the text safe: in
/// element text `& < > "` and CR become `&amp; &lt; &gt; &quot; &#13;`; in
/// attribute values also tab and LF (`&#9; &#10;`); non-ASCII characters
/// are written as they are in both.
package final class XMLByteWriter: XMLWriting {
  private let target: RenderTarget
  // One writer belongs to one document on one thread: the exclusivity checks on these, touched for every
  // element, would cost more than the writes (as ByteBuffer explains).
  private let out = ByteBuffer(capacity: 1 << 16)
  /// The indentation string's bytes, nil for one long line.
  private let indent: [UInt8]?
  /// The names of the open elements, innermost last.
  @exclusivity(unchecked) private var open: [String] = []
  /// True while the innermost element's start tag still lacks its `>`.
  @exclusivity(unchecked) private var inStartTag = false
  /// libxml2's `doindent`: the next end tag goes on its own (indented) line; text clears it.
  @exclusivity(unchecked) private var indentEndTag = false
  @exclusivity(unchecked) private var finished = false
  /// Text made safe by `XMLText`, before escaping; reused.
  @exclusivity(unchecked) private var text: [UInt8] = []
  /// Bytes handed to the target at a time.
  private static let flushAt = 1 << 18

  /// `indent`: the string for each nesting level, or nil for one long line.
  package init(target: RenderTarget, indent: String? = "  ") {
    self.target = target
    self.indent = indent.map { Array($0.utf8) }
    open.reserveCapacity(16)
    text.reserveCapacity(1024)
  }

  package func startDocument(standalone: Bool?) throws(RenderError) {
    try ready()
    append("<?xml version=\"1.0\" encoding=\"UTF-8\"")
    if let standalone { append(standalone ? " standalone=\"yes\"" : " standalone=\"no\"") }
    append("?>\n")
  }

  package func processingInstruction(_ target: String, _ content: String) throws(RenderError) {
    try ready()
    if inStartTag {
      out.append(UInt8(ascii: ">"))
      inStartTag = false
    }
    append("<?")
    append(target)
    out.append(UInt8(ascii: " "))
    append(content)
    append("?>")
    if indent != nil {
      out.append(0x0A)
      indentEndTag = false
    }
  }

  package func startElement(_ name: String) throws(RenderError) {
    try ready()
    if inStartTag {
      out.append(UInt8(ascii: ">"))
      if indent != nil { out.append(0x0A) }
    }
    open.append(name)
    if indent != nil { writeIndent(open.count - 1) }
    out.append(UInt8(ascii: "<"))
    append(name)
    inStartTag = true
  }

  package func attribute(_ name: String, _ value: String) throws(RenderError) {
    try ready()
    guard inStartTag else { throw .failed("cannot write the attribute \(name) outside a start tag") }
    out.append(UInt8(ascii: " "))
    append(name)
    append("=\"")
    prepare(value, maxCharacters: .max)
    escapeAttribute()
    out.append(UInt8(ascii: "\""))
  }

  package func endElement() throws(RenderError) {
    try ready()
    guard let name = open.last else { throw .failed("cannot end an element: none is open") }
    if inStartTag {
      if indent != nil { indentEndTag = true }
      append("/>")
    } else {
      if indent != nil && indentEndTag { writeIndent(open.count - 1) }
      indentEndTag = true
      append("</")
      append(name)
      out.append(UInt8(ascii: ">"))
    }
    if indent != nil { out.append(0x0A) }
    open.removeLast()
    inStartTag = false
    if out.count >= Self.flushAt { try flush() }
  }

  package func element(_ name: String, _ value: String, maxCharacters: Int) throws(RenderError) {
    try startElement(name)
    prepare(value, maxCharacters: maxCharacters)
    beginText()
    escapeText(keepingQuotes: false)
    try endElement()
  }

  package func element(_ name: String, bytes: UnsafeRawBufferPointer, maxCharacters: Int) throws(RenderError) {
    try startElement(name)
    text.removeAll(keepingCapacity: true)
    XMLText.append(bytes, maxCharacters: maxCharacters, to: &text)
    beginText()
    escapeText(keepingQuotes: false)
    try endElement()
  }

  package func elementKeepingQuotes(_ name: String, _ value: String, maxCharacters: Int) throws(RenderError) {
    try startElement(name)
    prepare(value, maxCharacters: maxCharacters)
    beginText()
    escapeText(keepingQuotes: true)
    try endElement()
  }

  package func text(bytes: UnsafeRawBufferPointer) throws(RenderError) {
    try ready()
    guard !open.isEmpty else { throw .failed("cannot write text outside an element") }
    text.removeAll(keepingCapacity: true)
    XMLText.append(bytes, to: &text)
    beginText()
    escapeText(keepingQuotes: false)
  }

  package func finish() throws(RenderError) {
    try ready()
    while !open.isEmpty { try endElement() }
    if indent == nil { out.append(0x0A) }
    finished = true
    try flush()
  }

  // MARK: - Bytes

  private func ready() throws(RenderError) {
    if finished { throw .failed("the XML document is already finished") }
  }

  private func flush() throws(RenderError) {
    guard out.count > 0 else { return }
    try target.emit(out.bytes)
    out.removeAll()
  }

  @inline(__always)
  private func append(_ string: String) {
    var string = string
    string.withUTF8 { out.append(UnsafeRawBufferPointer($0)) }
  }

  private func writeIndent(_ levels: Int) {
    guard let indent, !indent.isEmpty, levels > 0 else { return }
    indent.withUnsafeBytes { bytes in
      for _ in 0..<levels { out.append(bytes) }
    }
  }

  /// Closes a pending start tag before character data, as libxml2 does on its first text.
  @inline(__always)
  private func beginText() {
    if indent != nil { indentEndTag = false }
    if inStartTag {
      out.append(UInt8(ascii: ">"))
      inStartTag = false
    }
  }

  private func prepare(_ value: String, maxCharacters: Int) {
    text.removeAll(keepingCapacity: true)
    var copy = value
    _ = copy.withUTF8 { XMLText.append(UnsafeRawBufferPointer($0), maxCharacters: maxCharacters, to: &text) }
  }

  /// `text` escaped for element content (libxml2's xmlEncodeSpecialChars): `& < > "` and CR, or without `"`.
  private func escapeText(keepingQuotes: Bool) {
    text.withUnsafeBufferPointer { source in
      let count = source.count
      // At most 5 bytes out per byte in (`&#13;`, `&amp;`; `&quot;` is 6 for 1).
      let base = out.reserve(count * 6)
      var w = 0
      for byte in source {
        switch byte {
        case UInt8(ascii: "&"): w = put(base, w, "&amp;")
        case UInt8(ascii: "<"): w = put(base, w, "&lt;")
        case UInt8(ascii: ">"): w = put(base, w, "&gt;")
        case UInt8(ascii: "\"") where !keepingQuotes: w = put(base, w, "&quot;")
        case 0x0D: w = put(base, w, "&#13;")
        default:
          base[w] = byte
          w += 1
        }
      }
      out.commit(w)
    }
  }

  /// `text` escaped for an attribute value (libxml2's xmlBufAttrSerializeTxtContent): markup, `"`, tab, LF and CR.
  ///
  /// Non-ASCII characters are written as they are: libxml2 2.9 would write hexadecimal references only for a
  /// document whose tree has no encoding, and the writer has no tree (the oracle tests pin this).
  private func escapeAttribute() {
    text.withUnsafeBufferPointer { source in
      let base = out.reserve(source.count * 6)
      var w = 0
      for byte in source {
        switch byte {
        case UInt8(ascii: "&"): w = put(base, w, "&amp;")
        case UInt8(ascii: "<"): w = put(base, w, "&lt;")
        case UInt8(ascii: ">"): w = put(base, w, "&gt;")
        case UInt8(ascii: "\""): w = put(base, w, "&quot;")
        case 0x09: w = put(base, w, "&#9;")
        case 0x0A: w = put(base, w, "&#10;")
        case 0x0D: w = put(base, w, "&#13;")
        default:
          base[w] = byte
          w += 1
        }
      }
      out.commit(w)
    }
  }

  @inline(__always)
  private func put(_ base: UnsafeMutablePointer<UInt8>, _ at: Int, _ entity: StaticString) -> Int {
    let n = entity.utf8CodeUnitCount
    (base + at).update(from: entity.utf8Start, count: n)
    return at + n
  }
}
