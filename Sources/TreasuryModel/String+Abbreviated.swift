extension String {
  /// The text for a message, cut after `limit` characters with `…`: an id of 10,000 characters is named, not
  /// printed. (Control characters are escaped where every line is printed: `TerminalText`.)
  package func abbreviated(_ limit: Int = 64) -> String {
    count > limit ? String(prefix(limit)) + "…" : self
  }
}
