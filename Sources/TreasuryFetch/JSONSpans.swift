/// Byte-level work on JSON the API sent, which keeps each object exactly as Stripe wrote it.
///
/// Re-serializing would reorder keys and rewrite numbers and escapes; the
/// dumps keep the API's own bytes, only without the layout between tokens.
/// `FetchedObjectReader` then finds each list item's span in the compact text
/// and validates it; this pass only needs to track strings.
enum JSONSpans {
  private static let quote = UInt8(ascii: "\"")
  private static let backslash = UInt8(ascii: "\\")

  /// The text without whitespace between tokens (Stripe pretty-prints its answers; dumps hold one object per line).
  static func compact(_ bytes: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    var inString = false
    var escaped = false
    for b in bytes {
      if inString {
        out.append(b)
        if escaped {
          escaped = false
        } else if b == backslash {
          escaped = true
        } else if b == quote {
          inString = false
        }
        continue
      }
      switch b {
      case 0x20, 0x09, 0x0A, 0x0D: continue
      case quote:
        inString = true
        out.append(b)
      default: out.append(b)
      }
    }
    return out
  }
}
