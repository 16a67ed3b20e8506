/// Makes text safe for XML 1.0 character data and for ISO 20022's length-limited text types.
///
/// XML 1.0 forbids most control characters, even escaped, so they cannot be
/// written at all: they, the other C0/C1 controls and DEL (allowed but
/// discouraged by XML 1.0 §2.2, and trouble for banking software), U+FFFE,
/// U+FFFF and invalid UTF-8 become U+FFFD, the Unicode replacement character.
/// Tab, line feed and carriage return are kept (the writer escapes CR).
/// Schema lengths count Unicode scalars, so that is what `maxCharacters`
/// counts; a cut falls between user-perceived characters (grapheme clusters),
/// never inside an emoji sequence or before a combining mark.
package enum XMLText {
  /// Appends `bytes` made safe to `out`; returns true when it had to be cut to `maxCharacters`.
  @discardableResult
  package static func append(_ bytes: UnsafeRawBufferPointer, maxCharacters: Int = .max, to out: inout [UInt8]) -> Bool
  {
    // Fast path: printable ASCII (and tab, LF, CR), short enough: copied as it is.
    if bytes.count <= maxCharacters
      && bytes.allSatisfy({ ($0 >= 0x20 && $0 < 0x7F) || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D })
    {
      out.append(contentsOf: bytes)
      return false
    }
    // Printable ASCII too long: each byte is one character (no CR LF pair, no combining mark), so the cut is a
    // byte count (OFX's 32-character NAME cuts most descriptions).
    if bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
      out.append(contentsOf: bytes.prefix(max(maxCharacters, 0)))
      return true
    }
    // Invalid UTF-8 is repaired to U+FFFD by the decoder.
    var scalars = String.UnicodeScalarView()
    for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars {
      scalars.append(isAllowed(scalar) ? scalar : "\u{FFFD}")
    }
    let text = String(scalars)
    guard text.unicodeScalars.count > maxCharacters else {
      out.append(contentsOf: text.utf8)
      return false
    }
    var kept = 0
    for character in text {
      let size = character.unicodeScalars.count
      if kept + size > maxCharacters { break }
      kept += size
      out.append(contentsOf: character.utf8)
    }
    if kept == 0 && maxCharacters > 0 {
      // The first character alone is longer than the limit (a letter with many combining marks):
      // cut inside it rather than leave a required element empty.
      for scalar in text.unicodeScalars.prefix(maxCharacters) { out.append(contentsOf: String(scalar).utf8) }
    }
    return true
  }

  /// True when `append` would change `bytes` (valid UTF-8): a C0 control but tab, LF and CR, DEL, a C1
  /// control, U+FFFE or U+FFFF. Never cuts; for writers that only clean (CSV).
  package static func needsCleaning(_ bytes: UnsafeRawBufferPointer) -> Bool {
    var i = 0
    while i < bytes.count {
      let c = bytes[i]
      if c < 0x20 && c != 0x09 && c != 0x0A && c != 0x0D { return true }
      if c == 0x7F { return true }
      if c == 0xC2, i + 1 < bytes.count, bytes[i + 1] >= 0x80 && bytes[i + 1] <= 0x9F { return true }
      if c == 0xEF, i + 2 < bytes.count, bytes[i + 1] == 0xBF, bytes[i + 2] == 0xBE || bytes[i + 2] == 0xBF {
        return true
      }
      i += 1
    }
    return false
  }

  /// `string` made safe, as a String (for tests and short fields).
  package static func safe(_ string: String, maxCharacters: Int = .max) -> String {
    var copy = string
    // What `append` copies unchanged is returned as it is, sparing a copy and a decode (the HTML statement asks
    // for three per line).
    let unchanged = copy.withUTF8 { bytes in
      bytes.count <= maxCharacters
        && bytes.allSatisfy { ($0 >= 0x20 && $0 < 0x7F) || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
    }
    if unchanged { return string }
    var out: [UInt8] = []
    _ = copy.withUTF8 { append(UnsafeRawBufferPointer($0), maxCharacters: maxCharacters, to: &out) }
    return String(decoding: out, as: UTF8.self)
  }

  /// True for the scalars written as they are.
  static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x09, 0x0A, 0x0D: return true
    case 0x00..<0x20, 0x7F..<0xA0: return false
    case 0xFFFE, 0xFFFF: return false
    default: return true
    }
  }
}
