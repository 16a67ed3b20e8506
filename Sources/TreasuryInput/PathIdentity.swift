import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Where a path really is, however it is spelled (relative, absolute, `..`, symbolic links, a bind mount): for the
/// rules that an output must not overlap an input.
package enum PathIdentity {
  /// A file or folder itself: its device and inode.
  package struct ID: Hashable {
    var device: UInt64
    var inode: UInt64
  }

  /// The file or folder `path` names (links followed), or nil when it does not exist.
  package static func id(_ path: String) -> ID? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return ID(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
  }

  /// The absolute path with every link and `..` resolved. For a path that does not exist (yet), its nearest
  /// existing folder is resolved and the rest, which holds no links, is normalized as `mkdir -p` would create it.
  static func resolved(_ path: String) -> String {
    let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    var head = absolute
    var rest: [Substring] = []
    while true {
      if let real = realpath(head, nil) {
        defer { free(real) }
        var parts = String(cString: real).split(separator: "/")
        for part in rest.reversed() {
          if part == ".." {
            _ = parts.popLast()
          } else if part != "." && !part.isEmpty {
            parts.append(part)
          }
        }
        return "/" + parts.joined(separator: "/")
      }
      guard let slash = head.lastIndex(of: "/") else { return absolute }
      rest.append(head[head.index(after: slash)...])
      head = slash == head.startIndex ? "/" : String(head[..<slash])
    }
  }

  /// The last component of the resolved path: the real name of the folder or file `path` names.
  package static func realName(_ path: String) -> String {
    resolved(path).split(separator: "/").last.map(String.init) ?? ""
  }

  /// True when `inner` is `outer` or lies somewhere inside it (`inner` need not exist yet).
  package static func isWithin(_ inner: String, _ outer: String) -> Bool {
    guard let target = id(outer) else { return false }
    // Every existing folder on the way up from `inner`, compared by identity, so a bind mount or a second
    // spelling of `outer` is still recognized.
    var path = resolved(inner)
    while true {
      if id(path) == target { return true }
      guard path != "/", let slash = path.lastIndex(of: "/") else { return false }
      path = slash == path.startIndex ? "/" : String(path[..<slash])
    }
  }
}
