/// Turns paths in the temporary layout of a publication back into the stored objects' URLs, for findings.
///
/// The local verifier names `<folder>/2026-03/fa_…/transactions.csv` and `<folder>/archive/2026-03.tar.gz(member)`;
/// a user must read `s3://b/p/2026-03/fa_…/transactions.csv` and `s3://b/p/2026-03/2026-03.tar.gz(member)`.
struct LocationMap {
  /// The publication's temporary folder.
  var folder: String
  /// Output path → the stored object's URL.
  var names: [String: String]
  /// The URL of `runs/<run>`: where the folder itself is named.
  var runFolder: String

  /// `text` with every path under the temporary folder replaced by its object's URL.
  func display(_ text: String) -> String {
    guard text.contains(folder) else { return text }
    var out = ""
    var rest = Substring(text)
    while let range = rest.range(of: folder) {
      out += rest[..<range.lowerBound]
      rest = rest[range.upperBound...]
      guard rest.first == "/" else {
        out += runFolder
        continue
      }
      // A path runs to the next space, parenthesis or comma (no path this tool writes holds one).
      let path = rest.dropFirst().prefix { !" (),\n".contains($0) }
      out += names[String(path)] ?? (runFolder + "/" + path)
      rest = rest[path.endIndex...]
    }
    return out + rest
  }
}
