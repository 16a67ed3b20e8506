#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The paths a manifest lists and an archive's members are named by, as `verify` accepts them: relative,
/// `/`-separated, every component a plain name.
///
/// Every path this tool writes passes. Anything else is refused before it is
/// touched: `../../dev/zero` would hang the run and `../../etc/hostname` would
/// have its size and digest printed, and a member named so would be written
/// outside the folder by a careless extractor.
enum ListedPath {
  /// Why `path` is not one this tool writes, or nil when it is one.
  static func problem(_ path: String) -> String? {
    if path.isEmpty { return "an empty path" }
    if path.hasPrefix("/") { return "an absolute path" }
    let components = path.split(separator: "/", omittingEmptySubsequences: false)
    if components.contains("..") { return "a path that leaves the folder" }
    if path.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) { return "a path with a control character" }
    if path.utf8.contains(UInt8(ascii: "\\")) { return "a path with a backslash" }
    if components.contains("") { return "a path with an empty component" }
    if components.contains(".") { return "a path with a '.' component" }
    return nil
  }

  /// The path as a message shows it: quoted, with quotes, backslashes and control characters escaped.
  static func quoted(_ path: String) -> String { path.debugDescription }
}

/// What a path names on disk, as `lstat` (links not followed) or `stat` sees it.
enum PathKind: Equatable {
  case missing
  case regular(bytes: Int)
  case folder
  case link
  /// A FIFO, a device or a socket: opening or reading one can block or never end.
  case special(String)
  case unreadable(String)

  /// Inside a folder being verified: links are not followed.
  static func inside(_ path: String) -> PathKind { kind(path, follow: false) }

  /// A path given on the command line: a link is followed, since the user chose the name.
  static func given(_ path: String) -> PathKind { kind(path, follow: true) }

  private static func kind(_ path: String, follow: Bool) -> PathKind {
    var info = stat()
    guard (follow ? stat(path, &info) : lstat(path, &info)) == 0 else {
      let code = errno
      if code == ENOENT || code == ENOTDIR { return .missing }
      return .unreadable(String(cString: strerror(code)))
    }
    switch info.st_mode & S_IFMT {
    case S_IFREG: return .regular(bytes: Int(info.st_size))
    case S_IFDIR: return .folder
    case S_IFLNK: return .link
    case S_IFIFO: return .special("a FIFO")
    case S_IFCHR: return .special("a character device")
    case S_IFBLK: return .special("a block device")
    case S_IFSOCK: return .special("a socket")
    default: return .special("an unknown kind of file")
    }
  }

  /// `a FIFO`, `a symbolic link`, `a folder`: for messages.
  var name: String {
    switch self {
    case .missing: return "missing"
    case .regular: return "a regular file"
    case .folder: return "a folder"
    case .link: return "a symbolic link"
    case .special(let name): return name
    case .unreadable(let reason): return "unreadable (\(reason))"
    }
  }
}
