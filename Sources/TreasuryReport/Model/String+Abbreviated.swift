extension String {
  /// The text, or for a message its first `limit` characters and its length: an id of 10,000 characters
  /// should be named, not printed.
  func abbreviated(_ limit: Int = 64) -> String {
    guard count > limit else { return self }
    return String(prefix(limit)) + "… (\(count) characters)"
  }
}
