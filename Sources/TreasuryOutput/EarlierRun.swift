import Foundation
@_spi(Inlining) import TreasuryModel

/// What an existing output folder holds, read from its `manifest.json`: shown when a run would replace it.
///
/// `statements --out DIR` over an earlier run replaces the whole folder, so
/// without `--replace` the run stops and says what would go: the periods the
/// earlier run wrote (from the folders and archives its manifest lists), its
/// statement count, when its manifest was written (the file's modification
/// time: the manifest itself holds no clock time), and the entries that its
/// manifest does not list (files a person put there).
package struct EarlierRun: Sendable, Equatable {
  /// Period labels, sorted (`2026-01`, `2026-W11`, …).
  package var periods: [String]
  /// The manifest's `statements`, if it has one.
  package var statements: Int?
  /// When `manifest.json` was last modified, seconds since 1970.
  package var writtenAt: Int64?
  /// Top-level entries of the folder that the manifest does not account for, sorted.
  package var unlisted: [String]

  /// The earlier run in `folder`, or nil when `folder` holds no `manifest.json` of this tool.
  package init?(folder: String) {
    let manifestPath = folder + "/manifest.json"
    guard let data = FileManager.default.contents(atPath: manifestPath),
      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
      object["tool"] as? String == TreasuryReportVersion.toolName
    else { return nil }
    let paths = (object["outputs"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String }
    var periods = Set<String>()
    var listed: Set<String> = ["manifest.json"]
    for path in paths {
      let parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
      guard let top = parts.first else { continue }
      listed.insert(top)
      if parts.count > 1 && top != "archive" { periods.insert(top) }
      if parts.count == 2 && top == "archive", let name = parts.last, let dot = name.firstIndex(of: ".") {
        periods.insert(String(name[..<dot]))
      }
    }
    self.periods = periods.sorted()
    statements = object["statements"] as? Int
    var info = stat()
    writtenAt = stat(manifestPath, &info) == 0 ? Int64(info.st_mtim.tv_sec) : nil
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    unlisted = entries.filter { !listed.contains($0) }.sorted()
  }

  /// One phrase for a message: `periods 2026-01 … 2026-04, 12 statements, written 2026-12-02 15:47:03 UTC`.
  package var description: String {
    var parts: [String] = []
    switch periods.count {
    case 0: break
    case 1: parts.append("period \(periods[0])")
    case 2...6: parts.append("periods " + periods.joined(separator: ", "))
    default: parts.append("\(periods.count) periods, \(periods[0]) … \(periods[periods.count - 1])")
    }
    if let statements { parts.append(statements.counted("statement")) }
    if let writtenAt { parts.append("written \(Self.utc(writtenAt))") }
    if !unlisted.isEmpty {
      let shown = unlisted.prefix(5).joined(separator: ", ") + (unlisted.count > 5 ? ", …" : "")
      parts.append(
        "and \(unlisted.count.counted("entry", plural: "entries")) its manifest does not list, which would go too: \(shown)"
      )
    }
    return parts.joined(separator: ", ")
  }

  /// `2026-12-02 15:47:03 UTC`.
  private static func utc(_ seconds: Int64) -> String {
    let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
    let date = CivilDate(daysSinceEpoch: Int(days))
    let rest = Int(seconds - days * 86_400)
    let two = { (n: Int) in n < 10 ? "0\(n)" : "\(n)" }
    return "\(date.iso) \(two(rest / 3600)):\(two(rest / 60 % 60)):\(two(rest % 60)) UTC"
  }
}
