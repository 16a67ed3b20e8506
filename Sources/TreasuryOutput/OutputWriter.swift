import Crypto
@_spi(Inlining) import TreasuryModel

/// One file being written into the output folder, plain or through gzip.
///
/// Renderers write to it like any target. With gzip, the bytes are hashed and
/// counted before compression too, so the manifest can name both the stored
/// file and the content it holds.
package final class OutputWriter: RenderTarget {
  private let file: FileSink
  private let gzip: GzipTarget?
  private var content = SHA256()
  private var contentBytes = 0

  /// The path on disk (inside the staging folder).
  package var path: String { file.path }

  init(file: FileSink, gzipLevel: Int32?) throws(OutputError) {
    self.file = file
    if let gzipLevel {
      gzip = try GzipTarget(into: file, level: gzipLevel, path: file.path)
    } else {
      gzip = nil
    }
  }

  package func write(_ bytes: UnsafeRawBufferPointer) throws(OutputError) {
    guard let gzip else { return try file.write(bytes) }
    content.update(bufferPointer: bytes)
    contentBytes += bytes.count
    try gzip.write(bytes)
  }

  /// Ends the gzip stream, closes the file and describes it for the manifest.
  package func finish(rows: Int?) throws(OutputError) -> OutputFile {
    guard let gzip else { return try file.finish(rows: rows) }
    try gzip.finish()
    var described = try file.finish(rows: rows)
    described.contentBytes = contentBytes
    described.contentSHA256 = Hex.string(content.finalize())
    return described
  }
}
