import Foundation

/// The dump files named by a run's INPUT arguments, in a fixed order.
package struct InputCatalog: Sendable {
  package var files: [InputFile]
  /// Files found in folders but not read, with why (shown in the report).
  package var skipped: [SkippedFile]
  /// Folder INPUTs that hold no dump file (accepted only with `allowEmptyFolders`).
  package var foldersWithoutDumps: [String] = []
  /// How many files take `defaultAccount` (standard input, and files under no `acct_` folder).
  package var filesWithoutAccountFolder = 0

  package struct SkippedFile: Sendable, Hashable, Codable {
    package var path: String
    package var reason: String
  }

  /// Files the tool itself writes next to dumps, plain or gzipped; never read as dumps when found in a folder.
  package static let toolFiles: Set<String> = {
    let names = ["manifest.json", "fetch-manifest.json", "rejects.jsonl", "report.json"]
    return Set(names + names.map { $0 + ".gz" })
  }()

  /// Expands files and folders (searched recursively, sorted by path) into dump files.
  ///
  /// A file named directly is read whatever its name; in folders only regular
  /// `*.jsonl`, `*.json` files and their `.gz` forms are, hidden entries and the
  /// tool's own files aside. Like `grep -r`, a symbolic link named on the command
  /// line is followed and one found inside a folder is listed, not followed.
  /// FIFOs, sockets and devices are never read: they could block the run forever.
  ///
  /// A file's connected account is the nearest folder named like `acct_…` below
  /// the INPUT: for a folder, the folder itself and the folders inside it; for a
  /// file, the folder holding it. Folders above never count, and names are the
  /// real ones (links resolved), so every spelling of a path gives one account.
  ///
  /// A folder that holds no dump file is an error (`noDumpFiles`) unless `allowEmptyFolders` (`--allow-empty`).
  package static func discover(
    _ inputs: [String], defaultAccount: String, allowEmptyFolders: Bool = false
  ) throws(InputError) -> InputCatalog {
    var catalog = InputCatalog(files: [], skipped: [])
    var seen = Set<String>()
    for input in inputs {
      if input == "-" {
        catalog.files.append(InputFile(path: "-", format: .jsonLines, gzip: false, account: defaultAccount))
        catalog.filesWithoutAccountFolder += 1
        continue
      }
      var info = stat()
      guard stat(input, &info) == 0 else {
        let code = errno
        if code == ENOENT || code == ENOTDIR { throw .notFound(path: input) }
        throw .unreadable(path: input, reason: String(cString: strerror(code)))
      }
      switch info.st_mode & S_IFMT {
      case S_IFREG:
        let folder = (input as NSString).deletingLastPathComponent
        let account = InputFile.connectedAccount(folders: [PathIdentity.realName(folder.isEmpty ? "." : folder)])
        let found = Found(
          path: input, kind: InputFile.kind(of: input) ?? (.jsonLines, false), account: account,
          size: Int(info.st_size))
        add(found, defaultAccount, &catalog, &seen)
      case S_IFDIR:
        var found: [Found] = []
        try walk(input, folders: [PathIdentity.realName(input)], into: &found, skipped: &catalog.skipped)
        if found.isEmpty {
          guard allowEmptyFolders else { throw .noDumpFiles(path: input) }
          catalog.foldersWithoutDumps.append(input)
        }
        for file in found.sorted(by: { $0.path < $1.path }) {
          add(file, defaultAccount, &catalog, &seen)
        }
      default:
        throw .notARegularFile(path: input, kind: kind(info.st_mode))
      }
    }
    catalog.skipped.sort { $0.path < $1.path }
    return catalog
  }

  private struct Found {
    var path: String
    var kind: (format: InputFile.Format, gzip: Bool)
    var account: String?
    var size: Int
  }

  /// Collects the dump files under `folder`; `folders` are the names of the folders from the INPUT down to it.
  private static func walk(
    _ folder: String, folders: [String], into found: inout [Found], skipped: inout [SkippedFile]
  ) throws(InputError) {
    let names: [String]
    do { names = try FileManager.default.contentsOfDirectory(atPath: folder) } catch {
      throw .unreadable(path: folder, reason: "cannot list the folder")
    }
    for name in names where !name.hasPrefix(".") {
      let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
      var info = stat()
      guard lstat(path, &info) == 0 else {
        throw .unreadable(path: path, reason: String(cString: strerror(errno)))
      }
      switch info.st_mode & S_IFMT {
      case S_IFDIR:
        try walk(path, folders: folders + [name], into: &found, skipped: &skipped)
      case S_IFREG:
        if toolFiles.contains(name) {
          skipped.append(SkippedFile(path: path, reason: "written by treasury-report, not a dump"))
        } else if let kind = InputFile.kind(of: name) {
          found.append(
            Found(
              path: path, kind: kind, account: InputFile.connectedAccount(folders: folders), size: Int(info.st_size)))
        } else {
          skipped.append(SkippedFile(path: path, reason: "not a .jsonl, .json, .jsonl.gz or .json.gz file"))
        }
      case S_IFLNK:
        skipped.append(SkippedFile(path: path, reason: "a symbolic link; links inside input folders are not followed"))
      default:
        skipped.append(SkippedFile(path: path, reason: kind(info.st_mode) + ", not a regular file"))
      }
    }
  }

  /// What a file that is neither regular nor a folder is, for messages.
  private static func kind(_ mode: mode_t) -> String {
    switch mode & S_IFMT {
    case S_IFIFO: return "a FIFO"
    case S_IFSOCK: return "a socket"
    case S_IFCHR: return "a character device"
    case S_IFBLK: return "a block device"
    default: return "a special file"
    }
  }

  private static func add(
    _ file: Found, _ defaultAccount: String, _ catalog: inout InputCatalog, _ seen: inout Set<String>
  ) {
    guard seen.insert(PathIdentity.resolved(file.path)).inserted else {
      catalog.skipped.append(SkippedFile(path: file.path, reason: "named twice; read once"))
      return
    }
    if file.account == nil { catalog.filesWithoutAccountFolder += 1 }
    catalog.files.append(
      InputFile(
        path: file.path, format: file.kind.format, gzip: file.kind.gzip, account: file.account ?? defaultAccount,
        size: file.size))
  }
}
