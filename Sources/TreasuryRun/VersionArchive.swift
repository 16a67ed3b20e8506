import Foundation
import TreasuryArchive
import TreasuryInput
@_spi(Inlining) import TreasuryModel
import TreasuryOutput

/// Writes `statement.tar.gz`: one statement version's files in a reproducible tar, gzipped at the config's level.
///
/// Members are the version's files under their plain names (`transactions.csv`,
/// `restatement.csv`, …), sorted bytewise, written by the project's `TarWriter`
/// (mode 0644, mtime 0, no owner names) into a `GzipTarget` (a gzip member per
/// MiB of tar, no name, mtime 0). So the bytes depend only on the files and the gzip level, never on
/// the run's day or machine: a rerun after a kill makes the same archive, which
/// the store then accepts as already there.
struct VersionArchive {
  static let name = "statement.tar.gz"

  /// (member name, local path) of each file the archive holds.
  var members: [(name: String, path: String)]
  var level: Int32

  /// Writes the archive to `path` (which must not exist) with its files streamed, not held in memory.
  func write(to path: String) throws(RunError) {
    let failed = { (reason: String) in RunError.io(path: path, reason: "cannot write the archive: \(reason)") }
    let sink: FileSink
    do { sink = try FileSink(path: path, relativePath: Self.name, foldersExist: true) } catch {
      throw failed(error.message)
    }
    do throws(TarError) {
      let gzip: GzipTarget
      do { gzip = try GzipTarget(into: sink, level: level, path: path) } catch { throw .output(error) }
      let tar = TarWriter(into: gzip)
      let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 16)
      defer { buffer.deallocate() }
      for member in members.sorted(by: { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }) {
        let source: FileByteSource
        do { source = try FileByteSource(path: member.path) } catch { throw .misuse(error.message) }
        let size = (try? FileManager.default.attributesOfItem(atPath: member.path)[.size] as? Int) ?? nil
        guard let size else { throw .misuse("\(member.path): cannot read its size") }
        try tar.begin(path: member.name, size: size)
        while true {
          let n: Int
          do { n = try source.read(into: buffer) } catch { throw .misuse(error.message) }
          if n == 0 { break }
          try tar.write(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
        try tar.end()
      }
      try tar.finish()
      do { try gzip.finish() } catch { throw .output(error) }
    } catch {
      _ = try? sink.finish(rows: nil)
      unlink(path)
      throw failed(error.message)
    }
    do { _ = try sink.finish(rows: nil) } catch {
      unlink(path)
      throw failed(error.message)
    }
  }
}
