import Foundation

/// The `verify` run: proves that archives and output folders are what their manifests say they are.
///
/// A folder is checked file by file against its `manifest.json`, an archive
/// member by member against the manifest inside it, and in both every
/// statement is recomputed from its CSV files. Nothing is written.
public struct VerifyJob: Sendable {
  package var paths: [String]

  public init(paths: [String]) {
    self.paths = paths
  }

  /// Runs every check on every path. Never throws: findings are in the report, with the exit code.
  public func run() -> VerifyReport {
    var report = VerifyReport()
    report.paths = paths
    for raw in paths {
      let path = raw.count > 1 && raw.hasSuffix("/") ? String(raw.dropLast()) : raw
      // A link named here is followed (the user chose the name); inside a folder, none is.
      let kind = PathKind.given(path)
      switch kind {
      case .missing:
        report.add(.unreadable, path, "no such file or folder")
        continue
      case .unreadable(let reason):
        report.add(.unreadable, path, "cannot read: \(reason)")
        continue
      case .special(let name):
        // Opening a FIFO blocks until someone writes to it; a device may never end.
        report.add(.mismatch, path, "is \(name), not an archive or an output folder; it was not opened")
        continue
      case .regular, .folder, .link:
        break
      }
      if kind == .folder {
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
