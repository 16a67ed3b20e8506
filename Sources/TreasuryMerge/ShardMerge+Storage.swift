import TreasuryModel
import TreasuryPublish

extension ShardMerge {
  /// Merges shards named by local folders or storage URLs (`s3://…`, `file://…`, each the prefix one shard
  /// published its folder to); the URLs' publications are downloaded into a temporary folder first, then merged
  /// as local folders, and named by their URLs in messages and `merged_from`.
  public func run(storage: StorageOptions) async -> MergeReport {
    guard shards.contains(where: StorageVerifyJob.isStorageURL) else { return run() }
    var report = MergeReport()
    report.output = output
    let download: PublicationDownload
    do throws(PublicationDownload.DownloadError) { download = try PublicationDownload(storage: storage) } catch {
      report.exitCode = error.exitCode
      report.errors = [error.message]
      return report
    }
    var local: [String] = []
    var shown: [String] = []
    for (n, shard) in shards.enumerated() {
      guard StorageVerifyJob.isStorageURL(shard) else {
        local.append(shard)
        shown.append(shownAs?[n] ?? shard)
        continue
      }
      do throws(PublicationDownload.DownloadError) {
        let folders = try await download.download(shard, as: n)
        guard folders.count == 1 else {
          report.exitCode = ExitStatus.usage
          report.errors = [
            "\(shard): error: holds \(folders.count) publications (runs/<run>/manifest.json); merge needs the prefix one shard published its folder to, holding that one"
          ]
          return report
        }
        local.append(folders[0])
        shown.append(shard)
      } catch {
        report.exitCode = error.exitCode
        report.errors = [error.message]
        return report
      }
    }
    var merge = self
    merge.shards = local
    merge.shownAs = shown
    return withExtendedLifetime(download) { merge.run() }
  }
}
