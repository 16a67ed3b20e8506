import TreasuryArchive
import TreasuryInput
@_spi(Inlining) import TreasuryModel
import TreasuryOutput

/// Copies the shards' statement files into the merged folder as they are (gzipped ones stay the same members).
struct StatementFileCopy {
  let folder: OutputFolder

  /// The run-wide files `merge` writes itself rather than copies.
  static func isRunWide(_ path: String) -> Bool {
    let content = path.hasSuffix(".gz") ? String(path.dropLast(3)) : path
    return ["summary.csv", "accounts.csv", "rejects.jsonl"].contains(content)
      || content.hasPrefix(PeriodArchives.folderName + "/") || content.hasSuffix("/statements.bai2")
  }

  /// Copies every statement file of `shards`, checking each against its manifest entry, and records the entry.
  ///
  /// A file two shards both wrote is an account in two shards: refused.
  func copy(_ shards: [ShardFolder]) throws(MergeError) {
    var owner: [String: String] = [:]
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 16)
    defer { buffer.deallocate() }
    for shard in shards {
      for file in shard.manifest.outputs where !Self.isRunWide(file.path) {
        if let other = owner[file.path] {
          throw .invalidShard(
            "\(shard.shown)/\(file.path): error: \(other) holds this file too: the shards overlap (an account in two shards); make the shards again from one dump tree"
          )
        }
        owner[file.path] = shard.shown
        let shownPath = shard.shown + "/" + file.path
        do throws(OutputError) {
          let source: FileByteSource
          do { source = try FileByteSource(path: shard.path + "/" + file.path, shownAs: shownPath) } catch {
            throw OutputError.cannotWrite(path: shownPath, reason: error.message)
          }
          let sink = try folder.file(file.path)
          while true {
            let n: Int
            do { n = try source.read(into: buffer) } catch {
              throw OutputError.cannotWrite(path: shownPath, reason: error.message)
            }
            if n == 0 { break }
            try sink.write(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
          }
          let written = try sink.finish(rows: file.rows)
          guard written.sha256 == file.sha256, written.bytes == file.bytes else {
            throw OutputError.cannotWrite(path: shownPath, reason: "it changed after verify read it")
          }
          folder.record(file)
        } catch {
          throw .output(error)
        }
      }
    }
  }
}
