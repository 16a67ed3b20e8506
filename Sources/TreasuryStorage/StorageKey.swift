import Foundation

/// The rules an object key follows in every store, checked before anything is sent or written.
///
/// A key is relative to the target and `/`-separated: not empty, no leading `/`, no empty, `.` or `..` segment
/// (so it can never climb out of a local folder, and S3 and a folder hold the same names), no NUL, at most 1024
/// bytes (S3's limit), and no segment starting with `LocalStore`'s staging prefix.
package enum StorageKey {
  /// Throws `.invalidKey` naming the first rule `key` breaks.
  package static func validate(_ key: String, in target: StorageTarget) throws(StorageError) {
    func refuse(_ reason: String) -> StorageError {
      .invalidKey(key: key, target: target.description, reason: reason)
    }
    guard !key.isEmpty else { throw refuse("the name is empty") }
    guard !key.hasPrefix("/") else { throw refuse("it starts with /") }
    guard key.utf8.count <= 1024 else { throw refuse("it is longer than 1024 bytes") }
    guard !key.utf8.contains(0) else { throw refuse("it holds a NUL character") }
    for segment in key.split(separator: "/", omittingEmptySubsequences: false) {
      switch segment {
      case "": throw refuse("it has an empty segment (// or a trailing /)")
      case ".", "..": throw refuse("it has a '\(segment)' segment")
      default:
        if segment.hasPrefix(LocalStore.stagingPrefix) {
          throw refuse("'\(LocalStore.stagingPrefix)…' names are kept for files being written")
        }
      }
    }
  }

  /// Whether `prefix` (for `list`) is a key's beginning: empty, or with no leading `/` and no `.`/`..` segment.
  package static func validate(prefix: String, in target: StorageTarget) throws(StorageError) {
    guard !prefix.isEmpty else { return }
    let segments = prefix.split(separator: "/", omittingEmptySubsequences: false)
    guard !prefix.hasPrefix("/"), !segments.contains(where: { $0 == "." || $0 == ".." }), !prefix.utf8.contains(0)
    else {
      throw .invalidKey(key: prefix, target: target.description, reason: "not a key prefix")
    }
  }

  /// Keys in the order S3 lists them: by their UTF-8 bytes.
  package static func precedes(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }
}
