import Foundation

/// The dump files named by a run's INPUT arguments, in a fixed order.
public struct InputCatalog: Sendable {
  public var files: [InputFile]
  /// Files found in folders but not read, with why (shown in the report).
  public var skipped: [SkippedFile]

  public struct SkippedFile: Sendable, Hashable, Codable {
    public var path: String
    public var reason: String
  }

  /// Files the tool itself writes next to dumps; never read as dumps when found in a folder.
  static let toolFiles: Set<String> = ["manifest.json", "fetch-manifest.json", "rejects.jsonl", "report.json"]

  /// Expands files and folders (searched recursively, sorted by path) into dump files.
  ///
  /// A file named directly is read whatever its name; in folders only
  /// `*.jsonl`, `*.json` and their `.gz` forms are, hidden entries and the
  /// tool's own files aside.
  public static func discover(_ inputs: [String], defaultAccount: String) throws(InputError) -> InputCatalog {
    var catalog = InputCatalog(files: [], skipped: [])
    var seen = Set<String>()
    let manager = FileManager.default
    for input in inputs {
      if input == "-" {
        catalog.files.append(InputFile(path: "-", format: .jsonLines, gzip: false, account: defaultAccount))
        continue
      }
      var isFolder: ObjCBool = false
      guard manager.fileExists(atPath: input, isDirectory: &isFolder) else { throw .notFound(path: input) }
      if !isFolder.boolValue {
        let kind = InputFile.kind(of: input) ?? (.jsonLines, false)
        add(input, kind, defaultAccount, &catalog, &seen)
        continue
      }
      guard let enumerator = manager.enumerator(atPath: input) else {
        throw .unreadable(path: input, reason: "cannot list the folder")
      }
      var found: [(path: String, kind: (format: InputFile.Format, gzip: Bool))] = []
      while let relative = enumerator.nextObject() as? String {
        let path = input.hasSuffix("/") ? input + relative : input + "/" + relative
        if relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
        var isSubfolder: ObjCBool = false
        guard manager.fileExists(atPath: path, isDirectory: &isSubfolder), !isSubfolder.boolValue else { continue }
        let name = String(relative.split(separator: "/").last ?? "")
        if toolFiles.contains(name) {
          catalog.skipped.append(SkippedFile(path: path, reason: "written by treasury-report, not a dump"))
        } else if let kind = InputFile.kind(of: name) {
          found.append((path, kind))
        } else {
          catalog.skipped.append(SkippedFile(path: path, reason: "not a .jsonl, .json, .jsonl.gz or .json.gz file"))
        }
      }
      guard !found.isEmpty else { throw .noDumpFiles(path: input) }
      for file in found.sorted(by: { $0.path < $1.path }) {
        add(file.path, file.kind, defaultAccount, &catalog, &seen)
      }
    }
    catalog.skipped.sort { $0.path < $1.path }
    return catalog
  }

  private static func add(
    _ path: String, _ kind: (format: InputFile.Format, gzip: Bool), _ defaultAccount: String,
    _ catalog: inout InputCatalog, _ seen: inout Set<String>
  ) {
    let canonical = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    guard seen.insert(canonical).inserted else {
      catalog.skipped.append(SkippedFile(path: path, reason: "named twice; read once"))
      return
    }
    let account = InputFile.connectedAccount(in: path) ?? defaultAccount
    catalog.files.append(InputFile(path: path, format: kind.format, gzip: kind.gzip, account: account))
  }
}
