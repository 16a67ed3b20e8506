@_spi(Inlining) import TreasuryModel

/// What `validate` found, ready to print.
public struct ValidateReport: Sendable {
  package var files: [Camt053FileReport] = []
  /// One message per file that could not be read.
  package var unreadable: [String] = []

  public var exitCode: Int32 {
    if !unreadable.isEmpty { return ExitStatus.ioError }
    return files.allSatisfy(\.isValid) ? ExitStatus.success : ExitStatus.invalidInput
  }

  /// One line per file: `FILE: valid camt.053.001.02 (1 statement, 12 entries)` or why not.
  public var verdicts: [String] {
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
  public var diagnostics: [String] {
    var lines: [String] = []
    for file in files {
      lines += file.problems.map { $0.formatted(file: file.path) }
      if file.omittedProblems > 0 {
        lines.append("\(file.path): … and \(file.omittedProblems.counted("more problem"))")
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
