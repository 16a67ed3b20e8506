import Foundation

/// A Stripe secret key: held in memory only, never printed, and scrubbed from any text that could show it.
///
/// Its `description` is a fixed placeholder and its mirror has no children,
/// so string interpolation or reflection of the key (a log line, an error
/// built in a hurry, `dump`) cannot leak it.
public struct APIKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
  /// Whether the key reaches live money or test data.
  package enum Mode: String, Sendable, Codable {
    case live
    case test
  }

  let secret: String

  /// Checks the shape only (no spaces or control characters, which would break the header); the API judges the rest.
  public init(_ text: String) throws(FetchError) {
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !trimmed.isEmpty else { throw .usage("the API key is empty") }
    guard trimmed.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
      throw .usage("the API key holds spaces or characters that cannot go in an HTTP header (the key is not shown)")
    }
    secret = trimmed
  }

  /// `live` for `sk_live_…`/`rk_live_…` keys, else `test`.
  package var mode: Mode { secret.contains("_live_") ? .live : .test }

  public var description: String { "[API key redacted]" }
  public var debugDescription: String { description }
  /// No children: `dump`, a debugger or a test failure that reflects the key shows the placeholder only.
  public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }

  /// The HTTP Authorization header value.
  var authorization: String { "Bearer " + secret }

  /// How many consecutive characters of the key count as showing it: half the key (at least 12, or all of a shorter
  /// one). Less could catch what is not secret: a Stripe key begins with `sk_live_51` and characters that name the
  /// account, the same as in its publishable key.
  var pieceLength: Int { min(secret.utf8.count, max(12, (secret.utf8.count + 1) / 2)) }

  /// `text` with every occurrence of the key, or of half of it or more, replaced, for messages that quote the server.
  ///
  /// JSON escapes (`\u005f`, `\/`) are read as the characters they stand for, so an escaped copy is found too.
  package func redact(_ text: String) -> String {
    let bytes = Array(text.utf8)
    let found = pieces(in: bytes)
    guard !found.isEmpty else { return text }
    var out: [UInt8] = []
    var at = 0
    for range in found {
      out += bytes[at..<range.lowerBound]
      out += "[API key redacted]".utf8
      at = range.upperBound
    }
    out += bytes[at...]
    return String(decoding: out, as: UTF8.self)
  }

  /// Whether JSON text (an answer's body) holds the key or half of it or more, plain or escaped.
  func appears(inJSON bytes: [UInt8]) -> Bool { !pieces(in: bytes, firstOnly: true).isEmpty }

  /// The byte ranges of `bytes` that spell `pieceLength` or more consecutive characters of the key.
  ///
  /// Windows of `gram` characters are matched by value (keys are printable ASCII, checked in `init`: 7 bits a
  /// character, a window in one integer); a run of windows that match consecutive places of the key is a piece.
  private func pieces(in bytes: [UInt8], firstOnly: Bool = false) -> [Range<Int>] {
    let key = Array(secret.utf8)
    guard key.count >= 4 else { return [] }
    let gram = min(12, key.count)
    let minimum = pieceLength
    let mask: UInt128 = (1 << (7 * UInt128(gram))) - 1
    // Each window of the key, with where in the key it ends.
    var places: [UInt128: [Int]] = [:]
    // A bit per value of a window's low 16 bits: most windows of the text are ruled out without hashing.
    var filter = [UInt64](repeating: 0, count: 1024)
    var window: UInt128 = 0
    for (i, c) in key.enumerated() {
      window = (window << 7 | UInt128(c)) & mask
      guard i + 1 >= gram else { continue }
      places[window, default: []].append(i)
      let low = Int(truncatingIfNeeded: window) & 0xFFFF
      filter[low >> 6] |= 1 << UInt64(low & 63)
    }
    var found: [Range<Int>] = []
    // Where each of the last `gram` characters started in `bytes` (a ring), and how many are in a row.
    var starts = [Int](repeating: 0, count: gram)
    var inRow = 0
    // The piece being read: where it starts, where it ends, its length, and where in the key its last window ends.
    var piece = (start: 0, end: 0, length: 0, place: -2)
    func close() {
      if piece.length >= minimum {
        if let last = found.last, last.upperBound >= piece.start {
          found[found.count - 1] = last.lowerBound..<piece.end
        } else {
          found.append(piece.start..<piece.end)
        }
      }
      piece.length = 0
      piece.place = -2
    }
    window = 0
    var i = 0
    while i < bytes.count && !(firstOnly && !found.isEmpty) {
      let start = i
      var c = bytes[i]
      i += 1
      if c == UInt8(ascii: "\\"), i < bytes.count {
        let e = bytes[i]
        i += 1
        if e == UInt8(ascii: "u"), i + 4 <= bytes.count, let value = Self.hex(bytes[i..<i + 4]) {
          i += 4
          c = value < 0x80 ? UInt8(value) : 0xFF
        } else {
          c = e
        }
      }
      guard c > 0x20 && c < 0x7F else {
        inRow = 0
        close()
        continue
      }
      window = (window << 7 | UInt128(c)) & mask
      starts[inRow % gram] = start
      inRow += 1
      var place: Int? = nil
      let low = Int(truncatingIfNeeded: window) & 0xFFFF
      if inRow >= gram, filter[low >> 6] & (1 << UInt64(low & 63)) != 0, let ends = places[window] {
        place = ends.contains(piece.place + 1) ? piece.place + 1 : ends[0]
      }
      if let place, piece.length > 0, place == piece.place + 1 {
        piece.length += 1
        piece.end = i
        piece.place = place
      } else {
        close()
        if let place { piece = (starts[(inRow - gram) % gram], i, gram, place) }
      }
    }
    close()
    return firstOnly ? Array(found.prefix(1)) : found
  }

  private static func hex(_ digits: ArraySlice<UInt8>) -> UInt32? {
    var value: UInt32 = 0
    for d in digits {
      switch d {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): value = value << 4 | UInt32(d - UInt8(ascii: "0"))
      case UInt8(ascii: "a")...UInt8(ascii: "f"): value = value << 4 | UInt32(d - UInt8(ascii: "a") + 10)
      case UInt8(ascii: "A")...UInt8(ascii: "F"): value = value << 4 | UInt32(d - UInt8(ascii: "A") + 10)
      default: return nil
      }
    }
    return value
  }
}
