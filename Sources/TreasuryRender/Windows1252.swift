import Foundation

/// Text as Windows-1252 bytes, the character set OFX 1.02 files declare (`CHARSET:1252`) for QuickBooks and
/// GnuCash.
///
/// The text is composed first (NFC), so `e` + combining acute becomes `é`,
/// which 1252 has. Characters 1252 lacks become `?`; control characters
/// (line breaks included, which would end an SGML element) become spaces.
/// Each character is one byte, so a cut to N characters is a cut to N bytes.
package enum Windows1252 {
  package static func encode(_ text: String) -> [UInt8] {
    // Printable ASCII (most descriptions) is already Windows-1252 and composed.
    if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return Array(text.utf8) }
    var out: [UInt8] = []
    out.reserveCapacity(text.utf8.count)
    for scalar in text.precomposedStringWithCanonicalMapping.unicodeScalars {
      let v = scalar.value
      switch v {
      case 0x20..<0x7F, 0xA0...0xFF: out.append(UInt8(v))
      case 0..<0x20, 0x7F..<0xA0: out.append(0x20)
      default: out.append(specials[v] ?? UInt8(ascii: "?"))
      }
    }
    return out
  }

  /// The characters 1252 puts at 0x80…0x9F.
  static let specials: [UInt32: UInt8] = [
    0x20AC: 0x80, 0x201A: 0x82, 0x0192: 0x83, 0x201E: 0x84, 0x2026: 0x85, 0x2020: 0x86, 0x2021: 0x87,
    0x02C6: 0x88, 0x2030: 0x89, 0x0160: 0x8A, 0x2039: 0x8B, 0x0152: 0x8C, 0x017D: 0x8E, 0x2018: 0x91,
    0x2019: 0x92, 0x201C: 0x93, 0x201D: 0x94, 0x2022: 0x95, 0x2013: 0x96, 0x2014: 0x97, 0x02DC: 0x98,
    0x2122: 0x99, 0x0161: 0x9A, 0x203A: 0x9B, 0x0153: 0x9C, 0x017E: 0x9E, 0x0178: 0x9F,
  ]
}
