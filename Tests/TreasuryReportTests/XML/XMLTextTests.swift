import Foundation
import Testing

@testable import TreasuryJob
@testable import TreasuryXML

@Suite struct XMLTextTests {
  @Test func keepsPrintableTextAndWhitespaceXMLAllows() {
    #expect(XMLText.safe("Fish & Chips <Ltd> \"q\" 'x'") == "Fish & Chips <Ltd> \"q\" 'x'")
    #expect(XMLText.safe("a\tb\nc\r\nd") == "a\tb\nc\r\nd")
    #expect(XMLText.safe("Café 💸 👩‍👩‍👧‍👦") == "Café 💸 👩‍👩‍👧‍👦")
  }

  @Test func replacesWhatXML10ForbidsAndOtherControls() {
    #expect(XMLText.safe("a\u{0}b\u{1}c\u{7}d\u{1B}[31m") == "a\u{FFFD}b\u{FFFD}c\u{FFFD}d\u{FFFD}[31m")
    #expect(XMLText.safe("del\u{7F} nel\u{85} c1\u{9F}") == "del\u{FFFD} nel\u{FFFD} c1\u{FFFD}")
    #expect(XMLText.safe("\u{FFFE}\u{FFFF}\u{FFFD}") == "\u{FFFD}\u{FFFD}\u{FFFD}")
    // U+00A0 (no-break space) is not a control character.
    #expect(XMLText.safe("a\u{A0}b") == "a\u{A0}b")
  }

  @Test func repairsInvalidUTF8() {
    var out: [UInt8] = []
    let cut = ([0x61, 0xFF, 0x62, 0xC3] as [UInt8]).withUnsafeBytes { XMLText.append($0, to: &out) }
    #expect(String(decoding: out, as: UTF8.self) == "a\u{FFFD}b\u{FFFD}")
    #expect(!cut)
  }

  @Test func cutsToACountOfUnicodeScalarsOnACharacterBoundary() {
    let ascii = String(repeating: "x", count: 600)
    #expect(XMLText.safe(ascii, maxCharacters: 500).unicodeScalars.count == 500)
    // A family emoji is 7 scalars; it would end at 502, so the cut falls before it.
    let family = "👩‍👩‍👧‍👦"
    let text = String(repeating: "a", count: 495) + family + String(repeating: "b", count: 98)
    #expect(XMLText.safe(text, maxCharacters: 500) == String(repeating: "a", count: 495))
    // A combining accent stays with its letter.
    let accented = String(repeating: "c", count: 499) + "e\u{301}" + "tail"
    #expect(XMLText.safe(accented, maxCharacters: 500) == String(repeating: "c", count: 499))
    // Text that fits is not cut, and the result reports whether it was.
    var out: [UInt8] = []
    let cut = Array("short".utf8).withUnsafeBytes { XMLText.append($0, maxCharacters: 500, to: &out) }
    #expect(!cut && String(decoding: out, as: UTF8.self) == "short")
  }

  @Test func replacementsCountTowardsTheLimit() {
    let text = String(repeating: "\u{1}", count: 600)
    let safe = XMLText.safe(text, maxCharacters: 500)
    #expect(safe.unicodeScalars.count == 500 && safe.unicodeScalars.allSatisfy { $0 == "\u{FFFD}" })
  }

  /// A first character longer than the whole limit is cut inside, never left out: required elements need text.
  /// Printable ASCII is cut by a byte count, which must be the cut by characters: the same text as `prefix`,
  /// and the same as the general path gives once one non-ASCII character (kept) sends the text there.
  @Test func printableASCIICutsAsCharacters() {
    var random = Seeded(state: 5)
    for _ in 0..<500 {
      let text = String((0..<random.below(80)).map { _ in Character(Unicode.Scalar(UInt8(0x20 + random.below(0x5F)))) })
      let limit = random.below(90)
      #expect(XMLText.safe(text, maxCharacters: limit) == String(text.prefix(limit)))
      #expect(XMLText.safe(text + "é", maxCharacters: limit) == String((text + "é").prefix(limit)))
    }
  }

  @Test func neverCutsToNothing() {
    let accented = "e" + String(repeating: "\u{0301}", count: 600)
    let cut = XMLText.safe(accented, maxCharacters: 500)
    #expect(cut.unicodeScalars.count == 500)
    #expect(Array(cut.unicodeScalars.prefix(2)) == ["e", "\u{0301}"])
    #expect(XMLText.safe("N" + String(repeating: "\u{0301}", count: 80), maxCharacters: 70).unicodeScalars.count == 70)
  }
}
