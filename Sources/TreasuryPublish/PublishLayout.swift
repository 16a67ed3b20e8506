import TreasuryArchive

/// Where each file of an output folder is published under a storage prefix, so that a person can browse it.
///
/// - A period's files keep their paths (`2026-03/fa_…/transactions.csv`, `2026-03/statements.bai2`), and its
///   archive sits beside them (`archive/2026-03.tar.gz` → `2026-03/2026-03.tar.gz`).
/// - The run's own files (`manifest.json`, `summary.csv`, `accounts.csv`, `rejects.jsonl`, their `.gz`) go to
///   `runs/<run>/`, named by the periods the run covers and the start of its manifest's SHA-256
///   (`runs/2026-01_2026-03_3f9a2c1d4e5b6a70/`).
///
/// So runs over different months share the prefix without touching each other's names, a rerun of the same folder
/// maps every file to the key it already has, and a closed period written again by a later run maps to the same
/// keys with the same bytes. The manifest's digest in its folder's name seals it: `verify` recomputes it.
package struct PublishLayout: Sendable, Equatable {
  package static let runsFolder = "runs"
  package static let manifestName = "manifest.json"
  /// Hex digits of the manifest's SHA-256 in the run's name (64 bits: a prefix holds few runs).
  static let digestLength = 16

  /// The run's folder name under `runs/`.
  package var runName: String

  /// The layout of the run whose manifest has digest `manifestSHA256` and lists `outputs` (relative paths).
  package init(manifestSHA256: String, outputs: [String]) {
    let periods = Self.periods(of: outputs)
    let digest = String(manifestSHA256.prefix(Self.digestLength))
    runName = (periods.count > 1 ? [periods[0], periods[periods.count - 1]] : periods).joined(separator: "_")
    runName += (runName.isEmpty ? "" : "_") + digest
  }

  /// The layout of a run found in storage under `runs/<runName>/`.
  package init(runName: String) {
    self.runName = runName
  }

  /// `runs/<run>`.
  package var runFolder: String { Self.runsFolder + "/" + runName }

  package var manifestKey: String { runFolder + "/" + Self.manifestName }

  /// The key of the file at `outputPath` (relative to the output folder).
  package func key(for outputPath: String) -> String {
    if let label = Self.archiveLabel(outputPath) { return label + "/" + label + ".tar.gz" }
    return outputPath.contains("/") ? outputPath : runFolder + "/" + outputPath
  }

  /// The period of `archive/<period>.tar.gz`, nil for any other path.
  static func archiveLabel(_ outputPath: String) -> String? {
    let folder = PeriodArchives.folderName + "/"
    guard outputPath.hasPrefix(folder), outputPath.hasSuffix(".tar.gz") else { return nil }
    let label = outputPath.dropFirst(folder.count).dropLast(".tar.gz".count)
    return label.isEmpty || label.contains("/") ? nil : String(label)
  }

  /// The period labels the outputs hold files or archives of, sorted.
  static func periods(of outputs: [String]) -> [String] {
    var labels: Set<String> = []
    for path in outputs {
      if let label = archiveLabel(path) {
        labels.insert(label)
      } else if let slash = path.firstIndex(of: "/") {
        labels.insert(String(path[..<slash]))
      }
    }
    return labels.sorted()
  }

  /// Why `outputs` cannot be published under this layout, or nil: every path maps to its own key, and no period
  /// is named like the runs folder (no period label is, but a hand-made manifest could try).
  package func problem(_ outputs: [String]) -> String? {
    var seen: [String: String] = [:]
    for path in outputs + [Self.manifestName] {
      let key = key(for: path)
      if key.hasPrefix(Self.runsFolder + "/") && path.contains("/") {
        return "\(path) would be published among the run records (\(key)); a period folder cannot be named 'runs'"
      }
      if let other = seen.updateValue(path, forKey: key) {
        return "\(other) and \(path) would both be published as \(key)"
      }
    }
    return nil
  }
}
