import Foundation
@_spi(Inlining) import TreasuryModel

/// Lays BAI2 logical records out as physical records of at most 80 characters, continued in 88 records.
///
/// A logical record is a list of units, each one or more fields that stay on
/// one physical record together (a summary item's type code, amount, count
/// and funds type, so that readers that rebuild items per line, like the
/// `bai2` parser, read them back). A physical record that is continued ends
/// with `/` (BAI2's delimiter, which the next record's fields follow); a
/// record ending in free text (16) ends without one, and its text may be
/// continued at a space (readers join text lines with one space). It counts
/// the physical records it writes, for the trailers' record counts.
package final class BAI2Records {
  /// Characters in a physical record, the traditional card length.
  package static let lineLimit = 80

  private var out: [UInt8] = []
  /// Physical records written since the last `takeCount()`.
  package private(set) var count = 0
  private let target: RenderTarget

  package init(target: RenderTarget) {
    self.target = target
    out.reserveCapacity(1 << 16)
  }

  /// Writes a record of `code` from `units`, ended by `/`; a `text` field (16 records) goes last, unterminated.
  package func record(_ code: String, _ units: [[String]], text: String? = nil) throws(RenderError) {
    begin(code)
    for unit in units {
      for value in unit { field(value) }
      endUnit()
    }
    try end(text: text)
  }

  /// Where the physical record being written starts in `out`.
  private var lineStart = 0
  private var firstUnit = true
  /// The unit being built, laid out once its length is known.
  private var unit: [UInt8] = []
  private var unitHasField = false

  /// Starts a record of `code`; its units follow (`field`s, each unit closed by `endUnit`), then `end`.
  package func begin(_ code: String) {
    lineStart = out.count
    out.append(contentsOf: code.utf8)
    firstUnit = true
  }

  private func separate() {
    if unitHasField { unit.append(UInt8(ascii: ",")) }
    unitHasField = true
  }

  package func field(_ value: String) {
    separate()
    unit.append(contentsOf: value.utf8)
  }

  package func field(_ value: Int64) {
    separate()
    if value < 0 { unit.append(UInt8(ascii: "-")) }
    digits(value.magnitude)
  }

  package func field(_ value: UInt64) {
    separate()
    digits(value)
  }

  package func field(_ value: Int) { field(Int64(value)) }

  package func field(_ value: Int128) {
    if let small = Int64(exactly: value) { return field(small) }
    field(String(value))
  }

  private func digits(_ value: UInt64) {
    var buffer: (UInt64, UInt64, UInt64) = (0, 0, 0)
    withUnsafeMutableBytes(of: &buffer) { raw in
      var v = value
      var at = raw.count
      repeat {
        at -= 1
        raw[at] = UInt8(ascii: "0") &+ UInt8(v % 10)
        v /= 10
      } while v > 0
      unit.append(contentsOf: raw[at...])
    }
  }

  /// Lays the unit out: on this physical record when it fits (with room for a closing `/`), else on an 88.
  package func endUnit() {
    if !firstUnit && out.count - lineStart + 1 + unit.count + 1 > Self.lineLimit { continueRecord() }
    out.append(UInt8(ascii: ","))
    out.append(contentsOf: unit)
    unit.removeAll(keepingCapacity: true)
    unitHasField = false
    firstUnit = false
  }

  /// Ends the physical record with `/` and starts an 88.
  private func continueRecord() {
    out.append(UInt8(ascii: "/"))
    newLine()
    lineStart = out.count
    out.append(UInt8(ascii: "8"))
    out.append(UInt8(ascii: "8"))
  }

  private func newLine() {
    out.append(0x0A)
    count += 1
  }

  /// Ends the record; a `text` field (16 records, printable ASCII as `text(_:)` makes it) goes last.
  package func end(text: String? = nil) throws(RenderError) {
    if var text {
      // The text field starts on a record of its own when its first word (or, empty, the closing `/`) does not
      // fit after the last field.
      text.withUTF8 { bytes in
        let firstWord = bytes.isEmpty ? 1 : (bytes.firstIndex(of: UInt8(ascii: " ")) ?? bytes.count)
        if out.count - lineStart + 1 + firstWord > Self.lineLimit { continueRecord() }
        if bytes.isEmpty {
          // An empty text field: the record then ends with the delimiter.
          out.append(UInt8(ascii: ","))
          out.append(UInt8(ascii: "/"))
          newLine()
          return
        }
        // The text field follows the last comma: `16,…,custref,TEXT`.
        out.append(UInt8(ascii: ","))
        var rest = bytes[...]
        while out.count - lineStart + rest.count > Self.lineLimit {
          let room = Self.lineLimit - (out.count - lineStart)
          // Break at the last space that fits; the space itself is the joint readers put back.
          guard room > 0, let space = rest.prefix(room + 1).lastIndex(of: UInt8(ascii: " ")),
            space > rest.startIndex
          else { break }
          out.append(contentsOf: rest[..<space])
          newLine()
          lineStart = out.count
          out.append(contentsOf: "88,".utf8)
          rest = rest[(space + 1)...]
        }
        out.append(contentsOf: rest)
        newLine()
      }
    } else {
      out.append(UInt8(ascii: "/"))
      newLine()
    }
    if out.count >= 1 << 16 { try flush() }
  }

  /// The physical records counted since the last call, and a fresh count.
  package func takeCount() -> Int {
    defer { count = 0 }
    return count
  }

  package func flush() throws(RenderError) {
    guard !out.isEmpty else { return }
    try out.withTypedBytes { (raw) throws(RenderError) in try target.emit(raw) }
    out.removeAll(keepingCapacity: true)
  }

  /// Text for a BAI2 field: printable ASCII, where other characters become `?` and control characters
  /// spaces; no `/` at either end (a leading one would read as an empty field, a trailing one as the end
  /// of the record) and no comma or slash at all when `field` (only the 16 record's text may hold them).
  package static func text(_ value: String, field: Bool = false) -> String {
    let plain = value.utf8.allSatisfy {
      $0 >= 0x20 && $0 < 0x7F && !(field && ($0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "/")))
    }
    if plain && value.utf8.first != UInt8(ascii: "/") && value.utf8.first != 0x20
      && value.utf8.last != UInt8(ascii: "/") && value.utf8.last != 0x20
    {
      return value
    }
    var scalars = String.UnicodeScalarView()
    for scalar in value.precomposedStringWithCanonicalMapping.unicodeScalars {
      switch scalar.value {
      case 0x20..<0x7F:
        if field && (scalar == "," || scalar == "/") { scalars.append(" ") } else { scalars.append(scalar) }
      case 0..<0x20, 0x7F..<0xA0: scalars.append(" ")
      default: scalars.append("?")
      }
    }
    var text = String(scalars)
    while text.hasSuffix("/") || text.hasSuffix(" ") { text.removeLast() }
    while text.hasPrefix("/") || text.hasPrefix(" ") { text.removeFirst() }
    return text
  }
}
