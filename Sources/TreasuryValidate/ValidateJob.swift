import Foundation
import TreasuryModel

/// The `validate` run: camt.053 files (or folders of them) in, a verdict per file and every problem out.
///
/// Exit code: 0 when every file is a valid camt.053.001.02 or .08 document
/// that passes the checks beyond the schema; 2 when some document is invalid;
/// 4 when some file cannot be read (this wins over 2).
package struct ValidateJob: Sendable {
  package var paths: [String]

  package init(paths: [String]) {
    self.paths = paths
  }

  package func run() -> ValidateReport {
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

/// What `validate` found, ready to print.
package struct ValidateReport: Sendable {
  package var files: [Camt053FileReport] = []
  /// One message per file that could not be read.
  package var unreadable: [String] = []

  package var exitCode: Int32 {
    if !unreadable.isEmpty { return ExitStatus.ioError }
    return files.allSatisfy(\.isValid) ? ExitStatus.success : ExitStatus.invalidInput
  }

  /// One line per file: `FILE: valid camt.053.001.02 (1 statement, 12 entries)` or why not.
  package var verdicts: [String] {
    files.map { file in
      let version = file.version?.name ?? "camt.053"
      if file.isValid {
        let statements = file.statements == 1 ? "1 statement" : "\(file.statements) statements"
        let entries = file.entries == 1 ? "1 entry" : "\(file.entries) entries"
        return "\(file.path): valid \(version) (\(statements), \(entries))"
      }
      let count = file.problemCount
      return "\(file.path): invalid \(version): \(count) problem\(count == 1 ? "" : "s")"
    }
  }

  /// Every problem (`FILE:LINE: error: PATH: message`), unreadable files, then a summary line.
  package var diagnostics: [String] {
    var lines: [String] = []
    for file in files {
      lines += file.problems.map { $0.formatted(file: file.path) }
      if file.omittedProblems > 0 {
        lines.append("\(file.path): … and \(file.omittedProblems) more problems")
      }
    }
    lines += unreadable
    let invalid = files.filter { !$0.isValid }.count
    var summary = "treasury-report: checked \(files.count) file\(files.count == 1 ? "" : "s"): "
    summary += "\(files.count - invalid) valid, \(invalid) invalid"
    if !unreadable.isEmpty { summary += ", \(unreadable.count) unreadable" }
    lines.append(summary)
    return lines
  }
}
