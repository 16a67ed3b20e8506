import TreasuryArchive
import TreasuryStorage

/// One publication found in storage: the run folder `runs/<run>/` and, once downloaded, the manifest in it.
struct StoredPublication: Sendable {
  var layout: PublishLayout
  /// Set once the manifest is downloaded and read.
  var index: ManifestIndex?
  var manifestSHA256: String?

  /// The runs found among the stored keys: each `runs/<run>/` folder, with or without its manifest.
  static func runs(in keys: [String]) -> (complete: [StoredPublication], incomplete: [String]) {
    var folders: [String: Bool] = [:]
    for key in keys where key.hasPrefix(PublishLayout.runsFolder + "/") {
      let parts = key.split(separator: "/", omittingEmptySubsequences: false)
      guard parts.count == 3, !parts[1].isEmpty else { continue }
      folders[String(parts[1]), default: false] =
        folders[String(parts[1]), default: false] || parts[2] == "manifest.json"
    }
    let complete = folders.filter { $0.value }.keys.sorted().map {
      StoredPublication(layout: PublishLayout(runName: $0))
    }
    let incomplete = folders.filter { !$0.value }.keys.sorted()
    return (complete, incomplete)
  }

  /// Every key the manifest lists (its outputs as published, and itself), by output path.
  var keys: [(path: String, key: String)] {
    guard let index else { return [] }
    return index.outputs.map { ($0.path, layout.key(for: $0.path)) } + [
      (PublishLayout.manifestName, layout.manifestKey)
    ]
  }

  /// Why the run's folder name does not seal its manifest, or nil: `publish` names the folder by the periods the
  /// manifest lists and the start of its SHA-256, so an edited manifest no longer matches its folder.
  var sealProblem: String? {
    guard let index, let manifestSHA256 else { return nil }
    let expected = PublishLayout(manifestSHA256: manifestSHA256, outputs: index.outputs.map(\.path))
    guard expected.runName != layout.runName else { return nil }
    return
      "has sha256 \(manifestSHA256) and lists the periods of \(expected.runFolder)/, but is stored in \(layout.runFolder)/: it was changed after it was published, or was not published by treasury-report"
  }
}
