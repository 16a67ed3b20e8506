import Foundation

/// Golden files: outputs kept in `Tests/TreasuryReportTests/Golden` and compared byte for byte.
///
/// They are rewritten only on the explicit switch `UPDATE_GOLDEN=1` (after checking a change is intended): each
/// function then writes what the test produced before reading the golden copy back, so the comparison that
/// follows passes and `git diff` shows what changed.
enum Golden {
  static let updating = ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1"

  /// The golden file at `path` (nil when there is none), first rewritten with `produced` when updating.
  static func file(_ path: String, produced: Data) throws -> Data? {
    if updating {
      try FileManager.default.createDirectory(
        atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
      try produced.write(to: URL(fileURLWithPath: path))
    }
    return FileManager.default.contents(atPath: path)
  }

  /// The golden files under `folder` (relative path → bytes), first replaced by `produced` when updating.
  static func tree(_ folder: String, produced: [String: Data]) throws -> [String: Data] {
    if updating {
      try? FileManager.default.removeItem(atPath: folder)
      for (path, data) in produced { _ = try file(folder + "/" + path, produced: data) }
    }
    return TestSupport.tree(folder)
  }
}
