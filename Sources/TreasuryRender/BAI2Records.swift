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
    var line = code
    var first = true
    for unit in units {
      let piece = unit.joined(separator: ",")
      // The unit, its comma before it, and room for the "/" that ends a continued line.
      if !first && line.utf8.count + 1 + piece.utf8.count + 1 > Self.lineLimit {
        emit(line + "/")
        line = "88"
      }
      line += "," + piece
      first = false
    }
    if let text {
      // The text field starts on a record of its own when its first word (or, empty, the closing `/`) does not
      // fit after the last field.
      let firstWord = text.isEmpty ? 1 : text.utf8.prefix { $0 != UInt8(ascii: " ") }.count
      if line.utf8.count + 1 + firstWord > Self.lineLimit {
        emit(line + "/")
        line = "88"
      }
    }
    if let text, !text.isEmpty {
      var rest = Substring(text)
      // The text field follows the last comma: `16,…,custref,TEXT`.
      line += ","
      while line.utf8.count + rest.utf8.count > Self.lineLimit {
        let room = Self.lineLimit - line.utf8.count
        // Break at the last space that fits; the space itself is the joint readers put back.
        guard room > 0, let space = rest.utf8.prefix(room + 1).lastIndex(of: UInt8(ascii: " ")),
          space > rest.startIndex
        else { break }
        emit(line + String(rest[..<space]))
        line = "88,"
        rest = rest[rest.index(after: space)...]
      }
      emit(line + rest)
    } else if text != nil {
      // An empty text field: the record then ends with the delimiter.
      emit(line + ",/")
    } else {
      emit(line + "/")
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

  private func emit(_ line: String) {
    out.append(contentsOf: line.utf8)
    out.append(0x0A)
    count += 1
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
