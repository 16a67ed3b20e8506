extension String {
  /// The text as a message shows it: control characters escaped (`\u{1B}`), so that a dump's bytes never drive
  /// the terminal, and cut after `limit` characters with `…` (an id of 10,000 characters is named, not printed).
  func abbreviated(_ limit: Int = 64) -> String {
    var text = ""
    for character in prefix(limit) {
      for scalar in character.unicodeScalars {
        switch scalar.value {
        case 0..<0x20, 0x7F..<0xA0: text += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
        default: text.unicodeScalars.append(scalar)
        }
      }
    }
    return count > limit ? text + "…" : text
  }
}
