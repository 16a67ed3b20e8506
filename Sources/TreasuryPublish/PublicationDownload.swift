import Foundation
import TreasuryArchive
import TreasuryStorage

/// Downloads the publications stored under a storage URL into local folders laid out as `statements` wrote them.
///
/// For `merge` of shards that each published to a prefix of their own: every
/// `runs/<run>/manifest.json` under the URL and the objects it lists are
/// fetched into a private temporary folder (`ScratchFolder`, removed with this
/// value), one folder per publication, which the local merge then reads and
/// verifies like any output folder.
public final class PublicationDownload: Sendable {
  private let scratch: ScratchFolder
  private let storage: StorageOptions

  public init(storage: StorageOptions, scratchParent: String = NSTemporaryDirectory()) throws(DownloadError) {
    self.storage = storage
    do throws(StorageError) { scratch = try ScratchFolder(in: scratchParent) } catch { throw DownloadError(error) }
  }

  /// A failure to read storage, with the exit code the command ends with (`StorageError`'s).
  public struct DownloadError: Error, Sendable {
    public var message: String
    public var exitCode: Int32

    init(_ error: StorageError) {
      message = error.message
      exitCode = error.exitStatus
    }
  }

  /// Downloads every complete publication under `location` (`s3://…`, `file://…`), the `n`th call's into its own
  /// folders; returns them, oldest run name first. Publications without their manifest are not read.
  public func download(_ location: String, as n: Int) async throws(DownloadError) -> [String] {
    do throws(StorageError) {
      let target = try StorageTarget(parsing: location)
      let store = try await StoreOpening.open(target, storage)
      let listed = try await store.list(under: "")
      let sizes = Dictionary(listed.map { ($0.key, $0.size) }, uniquingKeysWith: { a, _ in a })
      var folders: [String] = []
      for (k, publication) in StoredPublication.runs(in: listed.map(\.key)).complete.enumerated() {
        let folder = scratch.path + "/download-\(n)-\(k)"
        try Self.makeFolder(folder)
        let manifest = folder + "/" + PublishLayout.manifestName
        _ = try await store.download(
          publication.layout.manifestKey, to: manifest, maxBytes: Int64(ManifestIndex.byteLimit))
        let index: ManifestIndex
        do { index = try ManifestIndex(decoding: FileManager.default.contents(atPath: manifest) ?? Data()) } catch {
          throw StorageError.io(path: target.display(publication.layout.manifestKey), reason: error.reason)
        }
        let outputs = index.outputs
        let results = await BoundedTasks.map(outputs.count, limit: storage.concurrency) {
          (i: Int) async -> StorageError? in
          do throws(StorageError) {
            let key = publication.layout.key(for: outputs[i].path)
            let path = folder + "/" + outputs[i].path
            try Self.makeFolder((path as NSString).deletingLastPathComponent)
            _ = try await store.download(key, to: path, maxBytes: sizes[key] ?? Int64(outputs[i].bytes))
            return nil
          } catch {
            return error
          }
        }
        if let error = results.compactMap({ $0 }).first { throw error }
        folders.append(folder)
      }
      return folders
    } catch {
      throw DownloadError(error)
    }
  }

  private static func makeFolder(_ path: String) throws(StorageError) {
    do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
      throw .io(path: path, reason: error.localizedDescription)
    }
  }
}
