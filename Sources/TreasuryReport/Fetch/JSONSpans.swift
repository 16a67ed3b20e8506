/// Byte-level work on JSON the API sent, which keeps each object exactly as Stripe wrote it.
///
/// Foundation's JSON parser validates and reads fields, but re-serializing
/// would reorder keys and rewrite numbers and escapes; the dumps keep the
/// API's own bytes instead. Hand-written because no library hands back the
/// source span of an array element; the input is JSON that `JSONSerialization`
/// has already accepted, so only strings and nesting need tracking.
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

  /// The byte ranges of the elements of the array under `key` in the top-level object of compact JSON.
  static func elements(ofArray key: String, in json: [UInt8]) -> [Range<Int>]? {
    let wanted = Array(("\"" + key + "\"").utf8)
    var depth = 0
    var i = 0
    var expectingKey = false
    var arrayStart: Int? = nil
    while i < json.count {
      let b = json[i]
      if b == quote {
        let end = stringEnd(json, from: i)
        if depth == 1 && expectingKey && json[i..<end].elementsEqual(wanted) && end < json.count
          && json[end] == UInt8(ascii: ":") && end + 1 < json.count && json[end + 1] == UInt8(ascii: "[")
        {
          arrayStart = end + 1
          break
        }
        expectingKey = false
        i = end
        continue
      }
      switch b {
      case UInt8(ascii: "{"), UInt8(ascii: "["):
        depth += 1
        expectingKey = b == UInt8(ascii: "{") && depth == 1
      case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
      case UInt8(ascii: ","): expectingKey = depth == 1
      default: break
      }
      i += 1
    }
    guard let open = arrayStart else { return nil }
    var ranges: [Range<Int>] = []
    var level = 0
    var start = open + 1
    i = open + 1
    while i < json.count {
      let b = json[i]
      if b == quote {
        i = stringEnd(json, from: i)
        continue
      }
      switch b {
      case UInt8(ascii: "{"), UInt8(ascii: "["): level += 1
      case UInt8(ascii: "}"), UInt8(ascii: "]"):
        if level == 0 {
          if i > start { ranges.append(start..<i) }
          return ranges
        }
        level -= 1
      case UInt8(ascii: ","):
        if level == 0 {
          ranges.append(start..<i)
          start = i + 1
        }
      default: break
      }
      i += 1
    }
    return nil
  }

  /// The index just past the string that starts at `start` (a quote).
  private static func stringEnd(_ json: [UInt8], from start: Int) -> Int {
    var i = start + 1
    while i < json.count {
      if json[i] == backslash {
        i += 2
        continue
      }
      if json[i] == quote { return i + 1 }
      i += 1
    }
    return json.count
  }
}
