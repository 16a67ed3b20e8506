/// Text made safe for a terminal: what a dump, a file name or a server put in a message is shown, never obeyed.
///
/// Every line the command writes to stderr or stdout goes through `escape`, so
/// an id, value, raw excerpt or file name holding ESC, OSC 52 (clipboard) or
/// other control sequences cannot move the cursor, rewrite earlier lines,
/// retitle the window or fake a line of its own.
public enum TerminalText {
  /// `text` with each control character written as an escape: `\n`, `\r`, `\t`, else `\u001B` (JSON's spelling).
  ///
  /// Escaped: C0 controls, DEL, C1 controls, the Unicode line and paragraph separators, and the bidirectional
  /// embedding, override and isolate controls (which reorder what is shown). Backslashes are left alone, so
  /// paths and JSON excerpts read as they are.
  public static func escape(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: needsEscape) else { return text }
    var out = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
      guard needsEscape(scalar) else {
        out.append(scalar)
        continue
      }
      switch scalar {
      case "\n": out.append(contentsOf: #"\n"#.unicodeScalars)
      case "\r": out.append(contentsOf: #"\r"#.unicodeScalars)
      case "\t": out.append(contentsOf: #"\t"#.unicodeScalars)
      default:
        let hex = Array("0123456789ABCDEF".unicodeScalars)
        let value = Int(scalar.value)
        out.append(contentsOf: #"\u"#.unicodeScalars)
        for shift in [12, 8, 4, 0] { out.append(hex[(value >> shift) & 15]) }
      }
    }
    return String(out)
  }

  /// Each line escaped and ended with a newline: what a command writes.
  public static func lines<Lines: Sequence<String>>(_ lines: Lines) -> String {
    lines.map { escape($0) + "\n" }.joined()
  }

  static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x00...0x1F, 0x7F...0x9F: return true
    case 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069: return true
    default: return false
    }
  }
}
