import Crypto
import Foundation
import TreasuryArchive
@_spi(Inlining) import TreasuryModel

/// What `publish` will send: an output folder proven against its manifest, each file with its key.
///
/// The folder is verified as `verify` does (every file's size and SHA-256, archives in full, statements
/// recomputed) before anything is planned, so a corrupt or half-written folder is refused with verify's findings
/// and exit code. The digests the plan carries are the manifest's; each upload is checked against them, so what
/// is stored is what was verified even if a file changes afterwards.
package struct PublishPlan: Sendable {
  package var source: String
  package var layout: PublishLayout
  package var manifestSHA256: String
  /// The run's files but the manifest (`runs/<run>/summary.csv`, …), written first: a stored period object
  /// whose run folder holds no manifest marks an interrupted publish.
  package var runFiles: [PlannedObject]
  /// Period files and archives, in key order.
  package var periodFiles: [PlannedObject]
  /// Written last: a stored manifest means a complete publication.
  package var manifest: PlannedObject
  /// `verify`'s warnings about the folder (statements that do not reconcile, as recorded): published as they are.
  package var warnings: [String]

  /// Every object, in the order they are written.
  package var objects: [PlannedObject] { runFiles + periodFiles + [manifest] }

  /// Verifies the folder at `source` and plans its publication.
  package init(source raw: String) throws(PublishError) {
    let source = raw.count > 1 && raw.hasSuffix("/") ? String(raw.dropLast()) : raw
    self.source = source
    let manifestPath = source + "/" + PublishLayout.manifestName
    let verified = VerifyJob(paths: [source]).run()
    guard verified.exitCode == ExitStatus.success || verified.exitCode == ExitStatus.unreconciled else {
      throw .sourceNotVerified(
        findings: verified.findings.map(\.line) + ["treasury-report: " + verified.summary],
        exitStatus: verified.exitCode)
    }
    warnings = verified.findings.map(\.line)
    // Read after the verifier found a regular file of bounded size there; another digest than the one it read
    // means the manifest was rewritten in between.
    let (data, sha256) = try Self.read(manifestPath)
    guard verified.digest?.hasPrefix(sha256) == true else { throw .sourceChanged(path: manifestPath) }
    let index: ManifestIndex
    do throws(ManifestIndexError) {
      index = try ManifestIndex(decoding: data)
    } catch {
      throw .layout(manifest: manifestPath, reason: error.reason)
    }
    let paths = index.outputs.map(\.path)
    let layout = PublishLayout(manifestSHA256: sha256, outputs: paths)
    if let problem = layout.problem(paths) { throw .layout(manifest: manifestPath, reason: problem) }
    self.layout = layout
    manifestSHA256 = sha256
    let objects = index.outputs.map {
      PlannedObject(
        key: layout.key(for: $0.path), path: source + "/" + $0.path, size: Int64($0.bytes), sha256: $0.sha256)
    }
    .sorted { $0.key < $1.key }
    let runFolder = layout.runFolder + "/"
    runFiles = objects.filter { $0.key.hasPrefix(runFolder) }
    periodFiles = objects.filter { !$0.key.hasPrefix(runFolder) }
    manifest = PlannedObject(key: layout.manifestKey, path: manifestPath, size: Int64(data.count), sha256: sha256)
  }

  /// The manifest's bytes and SHA-256.
  private static func read(_ path: String) throws(PublishError) -> (Data, String) {
    guard let handle = FileHandle(forReadingAtPath: path) else { throw .sourceChanged(path: path) }
    defer { try? handle.close() }
    guard let data = try? handle.read(upToCount: ManifestIndex.byteLimit + 1), data.count <= ManifestIndex.byteLimit
    else { throw .sourceChanged(path: path) }
    return (data, Hex.string(SHA256.hash(data: data)))
  }
}
