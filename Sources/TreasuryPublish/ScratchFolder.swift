import Foundation
import TreasuryStorage

/// A private temporary folder for stored objects being verified, removed when the value is released.
///
/// Each object is downloaded once (`objects/<n>`) and linked into the output layout of every publication that
/// lists it (`run-<k>/2026-03/…`, `run-<k>/archive/2026-03.tar.gz`), so the local verifier reads the folder as
/// `statements` wrote it. A verify killed by a signal leaves its folder behind; the next one removes it.
final class ScratchFolder: Sendable {
  static let namePrefix = "treasury-report-verify-"
  let path: String

  init(in parent: String) throws(StorageError) {
    let base = parent.hasSuffix("/") ? parent : parent + "/"
    Self.removeAbandoned(in: base)
    path = base + Self.namePrefix + "\(getpid())-\(UUID().uuidString)"
    do {
      try FileManager.default.createDirectory(
        atPath: path + "/objects", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    } catch {
      throw .io(path: path, reason: "cannot create a temporary folder: \(error.localizedDescription)")
    }
  }

  deinit { try? FileManager.default.removeItem(atPath: path) }

  /// Removes the folders of verify runs whose process is gone (`treasury-report-verify-<pid>-<uuid>`).
  static func removeAbandoned(in parent: String) {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: parent) else { return }
    for name in names where name.hasPrefix(namePrefix) {
      guard let pid = Int32(name.dropFirst(namePrefix.count).prefix { $0 != "-" }), pid != getpid() else { continue }
      if kill(pid, 0) != 0 && errno == ESRCH { try? FileManager.default.removeItem(atPath: parent + name) }
    }
  }

  /// Where the `n`th downloaded object goes.
  func object(_ n: Int) -> String { path + "/objects/\(n)" }

  /// The folder the `k`th publication is laid out in.
  func run(_ k: Int) -> String { path + "/run-\(k)" }

  /// Links the downloaded `object` to `relative` under `folder`, making folders on the way.
  func link(_ object: String, as relative: String, in folder: String) throws {
    let destination = folder + "/" + relative
    try FileManager.default.createDirectory(
      atPath: (destination as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try FileManager.default.linkItem(atPath: object, toPath: destination)
  }
}
