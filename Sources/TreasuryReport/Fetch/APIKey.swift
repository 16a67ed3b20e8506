import Foundation

/// A Stripe secret key: held in memory only, never printed, and scrubbed from any text that could show it.
///
/// Its `description` is a fixed placeholder and its mirror has no children,
/// so string interpolation or reflection of the key (a log line, an error
/// built in a hurry, `dump`) cannot leak it.
public struct APIKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
  /// Whether the key reaches live money or test data.
  public enum Mode: String, Sendable, Codable {
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
  public var mode: Mode { secret.contains("_live_") ? .live : .test }

  public var description: String { "[API key redacted]" }
  public var debugDescription: String { description }
  /// No children: `dump`, a debugger or a test failure that reflects the key shows the placeholder only.
  public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }

  /// The HTTP Authorization header value.
  var authorization: String { "Bearer " + secret }

  /// Consecutive characters of the key that count as showing it: past the public `sk_test_` prefix, a piece this long
  /// is secret, and no id or text of Stripe's holds one by chance.
  static let pieceLength = 12

  /// `text` with every occurrence of the key, or of a piece of it, replaced, for messages that quote the server.
  ///
  /// JSON escapes (`\u005f`, `\/`) are read as the characters they stand for, so an escaped copy is found too.
  public func redact(_ text: String) -> String {
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

  /// Whether JSON text (an answer's body) holds the key or a piece of it, plain or escaped.
  func appears(inJSON bytes: [UInt8]) -> Bool { !pieces(in: bytes, firstOnly: true).isEmpty }

  /// The byte ranges of `bytes` that spell the key or a piece of it (`pieceLength` characters or more), merged.
  private func pieces(in bytes: [UInt8], firstOnly: Bool = false) -> [Range<Int>] {
    let key = Array(secret.utf8)
    let length = min(Self.pieceLength, key.count)
    // Keys are printable ASCII (checked in `init`): 7 bits a character, a whole piece in one integer.
    guard key.count >= 4 else { return [] }
    let mask: UInt128 = (1 << (7 * UInt128(length))) - 1
    var known = Set<UInt128>()
    var window: UInt128 = 0
    for (i, c) in key.enumerated() {
      window = (window << 7 | UInt128(c)) & mask
      if i + 1 >= length { known.insert(window) }
    }
    var found: [Range<Int>] = []
    // Where each of the last `length` characters started in `bytes` (a ring), and how many are in a row.
    var starts = [Int](repeating: 0, count: length)
    var run = 0
    window = 0
    var i = 0
    while i < bytes.count {
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
        run = 0
        continue
      }
      window = (window << 7 | UInt128(c)) & mask
      starts[run % length] = start
      run += 1
      guard run >= length, known.contains(window) else { continue }
      let range = starts[(run - length) % length]..<i
      if firstOnly { return [range] }
      if let last = found.last, last.upperBound >= range.lowerBound {
        found[found.count - 1] = last.lowerBound..<range.upperBound
      } else {
        found.append(range)
      }
    }
    return found
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
