import Foundation
@_spi(Inlining) import TreasuryModel

/// The `validate` run: camt.053 files (or folders of them) in, a verdict per file and every problem out.
///
/// Exit code: 0 when every file is a valid camt.053.001.02 or .08 document
/// that passes the checks beyond the schema; 2 when some document is invalid;
/// 4 when some file cannot be read (this wins over 2).
public struct ValidateJob: Sendable {
  package var paths: [String]

  public init(paths: [String]) {
    self.paths = paths
  }

  public func run() -> ValidateReport {
    var report = ValidateReport()
    var messageIDs: [String: String] = [:]
    for path in files(&report) {
      var file: Camt053FileReport
      do {
        file = try Camt053Validator.validate(path: path)
      } catch {
        report.unreadable.append(error.message)
        continue
      }
      if let id = file.messageID {
        if let first = messageIDs[id] {
          file.problems.append(
            Camt053Problem(
              line: 0, path: "/Document/BkToCstmrStmt/GrpHdr/MsgId",
              message: "MsgId \(id) is also the MsgId of \(first); an importer would take this file for a duplicate"))
        } else {
          messageIDs[id] = path
        }
      }
      report.files.append(file)
    }
    return report
  }

  /// The files named, with each folder replaced by the `*.xml` and `*.xml.gz` files under it (sorted, hidden
  /// ones skipped).
  private func files(_ report: inout ValidateReport) -> [String] {
    var result: [String] = []
    let manager = FileManager.default
    for path in paths {
      var isFolder: ObjCBool = false
      guard manager.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
        result.append(path)
        continue
      }
      let folder = path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path
      var found: [String] = []
      if let walker = manager.enumerator(atPath: folder) {
        while let relative = walker.nextObject() as? String {
          let name = (relative as NSString).lastPathComponent
          if name.hasPrefix(".") {
            walker.skipDescendants()
            continue
          }
          let lower = name.lowercased()
          if lower.hasSuffix(".xml") || lower.hasSuffix(".xml.gz") { found.append(folder + "/" + relative) }
        }
      }
      if found.isEmpty {
        report.unreadable.append("\(path): error: no *.xml or *.xml.gz files in this folder")
      }
      result += found.sorted()
    }
    return result
  }
}
