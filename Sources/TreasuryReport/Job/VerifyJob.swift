import Foundation

/// The `verify` run: proves that archives and output folders are what their manifests say they are.
///
/// A folder is checked file by file against its `manifest.json`, an archive
/// member by member against the manifest inside it, and in both every
/// statement is recomputed from its CSV files. Nothing is written.
public struct VerifyJob: Sendable {
  public var paths: [String]

  public init(paths: [String]) {
    self.paths = paths
  }

  /// Runs every check on every path. Never throws: findings are in the report, with the exit code.
  public func run() -> VerifyReport {
    var report = VerifyReport()
    report.paths = paths
    for raw in paths {
      let path = raw.count > 1 && raw.hasSuffix("/") ? String(raw.dropLast()) : raw
      var isFolder: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
        report.add(.unreadable, path, "no such file or folder")
        continue
      }
      if isFolder.boolValue {
        let result = FolderVerifier(path: path).run()
        report.merge(result.report)
        if paths.count == 1 { report.digest = result.manifestSHA256.map { "\($0) (manifest.json)" } }
      } else {
        let result = ArchiveVerifier(path: path).run()
        report.merge(result.report)
        if paths.count == 1 { report.digest = result.sha256 }
      }
    }
    return report
  }
}
