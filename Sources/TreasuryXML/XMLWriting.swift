@_spi(Inlining) import TreasuryModel

/// The calls a statement renderer makes to stream an XML document, whichever writer serializes it.
///
/// Two writers answer them with the same bytes: `XMLByteWriter` (Swift, what
/// the renderers use) and `XMLStreamWriter` (libxml2's xmlTextWriter, kept as
/// the oracle the tests compare it with). Text is made safe by `XMLText`
/// (forbidden characters replaced, optional cut) before it is escaped.
/// Element and attribute names are the caller's constants, written as they are.
package protocol XMLWriting: AnyObject {
  /// `<?xml version="1.0" encoding="UTF-8"?>`, with `standalone="yes|no"` when given.
  func startDocument(standalone: Bool?) throws(RenderError)
  /// `<?target content?>` (OFX 2's `<?OFX …?>` header); both are the caller's constants.
  func processingInstruction(_ target: String, _ content: String) throws(RenderError)
  func startElement(_ name: String) throws(RenderError)
  /// An attribute of the element just started; its value is made safe like text.
  func attribute(_ name: String, _ value: String) throws(RenderError)
  func endElement() throws(RenderError)
  /// `<name>text</name>`, the text made safe and cut to `maxCharacters`.
  func element(_ name: String, _ value: String, maxCharacters: Int) throws(RenderError)
  /// `<name>text</name>` from UTF-8 bytes (a symbol's), made safe and cut to `maxCharacters`.
  func element(_ name: String, bytes: UnsafeRawBufferPointer, maxCharacters: Int) throws(RenderError)
  /// `<name>text</name>` with `"` and `'` written as themselves: only `& < >` and CR are escaped.
  ///
  /// For readers built on an SGML parser with a DTD that declares no `&quot;` (libofx's OFX DTD drops
  /// what it cannot resolve); XML parsers read both forms alike.
  func elementKeepingQuotes(_ name: String, _ value: String, maxCharacters: Int) throws(RenderError)
  /// Character data inside the element just started, from UTF-8 bytes, made safe.
  func text(bytes: UnsafeRawBufferPointer) throws(RenderError)
  /// Closes every open element, ends the document and hands the last bytes to the target.
  func finish() throws(RenderError)
}

extension XMLWriting {
  /// `<?xml version="1.0" encoding="UTF-8"?>`.
  package func startDocument() throws(RenderError) { try startDocument(standalone: nil) }

  package func element(_ name: String, _ value: String) throws(RenderError) {
    try element(name, value, maxCharacters: .max)
  }

  package func element(_ name: String, bytes: UnsafeRawBufferPointer) throws(RenderError) {
    try element(name, bytes: bytes, maxCharacters: .max)
  }

  package func elementKeepingQuotes(_ name: String, _ value: String) throws(RenderError) {
    try elementKeepingQuotes(name, value, maxCharacters: .max)
  }
}
