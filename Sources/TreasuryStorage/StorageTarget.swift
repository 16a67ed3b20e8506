import Foundation

/// Where `publish` puts a finished output folder and `verify URL` reads it back: a local folder or an S3 prefix.
package enum StorageTarget: Sendable, Equatable, CustomStringConvertible {
  /// A folder on this machine (a plain path or `file:///…`); the default, and what tests and demos use.
  case local(path: String)
  /// `s3://BUCKET/PREFIX`: keys are `PREFIX/<key>` (no prefix: `<key>` at the bucket's root).
  case s3(bucket: String, prefix: String)

  /// Parses what the user typed after `--to` (or `verify`'s argument).
  ///
  /// `file://` takes an absolute path only; `s3://` needs a bucket name as S3 allows it (3–63 characters of
  /// `a-z0-9.-`); its prefix loses leading and trailing slashes. Anything else with `://` is refused, so a
  /// typo (`s4://…`) never becomes a local folder of that name.
  package init(parsing text: String) throws(StorageError) {
    if text.hasPrefix("s3://") {
      let rest = text.dropFirst("s3://".count)
      let bucket = String(rest.prefix { $0 != "/" })
      let prefix = rest.dropFirst(bucket.count).split(separator: "/", omittingEmptySubsequences: true)
        .joined(separator: "/")
      let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789.-")
      guard (3...63).contains(bucket.count), bucket.allSatisfy(allowed.contains),
        bucket.first != "-", bucket.first != ".", bucket.last != "-", bucket.last != "."
      else { throw .invalidTarget(text, reason: "'\(bucket)' is not an S3 bucket name (3–63 of a-z 0-9 . -)") }
      self = .s3(bucket: bucket, prefix: prefix)
    } else if text.hasPrefix("file://") {
      let path = String(text.dropFirst("file://".count))
      guard path.hasPrefix("/") else {
        throw .invalidTarget(text, reason: "a file:// URL takes an absolute path (file:///srv/statements)")
      }
      self = .local(path: path.removingPercentEncoding ?? path)
    } else if text.contains("://") {
      throw .invalidTarget(text, reason: "only s3://BUCKET/PREFIX, file:///PATH or a plain folder path are storage")
    } else if text.isEmpty {
      throw .invalidTarget(text, reason: "the storage location is empty")
    } else {
      self = .local(path: text)
    }
  }

  package var description: String {
    switch self {
    case .local(let path): return path
    case .s3(let bucket, let prefix): return prefix.isEmpty ? "s3://\(bucket)" : "s3://\(bucket)/\(prefix)"
    }
  }

  /// How `key` (relative to the target) is shown to a user: the full URL or path of that object.
  package func display(_ key: String) -> String {
    let base = description
    return base.hasSuffix("/") ? base + key : base + "/" + key
  }
}
