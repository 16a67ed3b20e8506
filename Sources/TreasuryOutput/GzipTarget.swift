@_spi(Inlining) import TreasuryModel
import TreasuryZlib

/// Compresses what is written to it into another target (a file), as one reproducible gzip member.
package final class GzipTarget: RenderTarget {
  private let target: RenderTarget
  private let deflater: Deflater
  private let path: String
  private var finished = false

  /// `path` names the file in messages (zlib's own failures do not know it).
  package init(into target: RenderTarget, level: Int32 = 6, path: String = "gzip stream") throws(OutputError) {
    self.target = target
    self.path = path
    do {
      deflater = try Deflater(level: level)
    } catch {
      throw .cannotWrite(path: path, reason: error.message)
    }
  }

  package func write(_ bytes: UnsafeRawBufferPointer) throws(OutputError) {
    guard !finished else { throw .cannotWrite(path: path, reason: "write after the gzip stream was finished") }
    try deflate(bytes, finish: false)
  }

  /// Ends the gzip stream (trailer with CRC-32 and length). Call once, before closing the file.
  package func finish() throws(OutputError) {
    guard !finished else { return }
    finished = true
    try deflate(UnsafeRawBufferPointer(start: nil, count: 0), finish: true)
  }

  /// zlib's failures become the target's; the wrapped target's own pass through as they are.
  private func deflate(_ bytes: UnsafeRawBufferPointer, finish: Bool) throws(OutputError) {
    var written: OutputError?
    do {
      try deflater.deflate(bytes, finish: finish) { chunk in
        do throws(OutputError) { try target.write(chunk) } catch {
          written = error
          throw error
        }
      }
    } catch {
      if let written { throw written }
      throw .cannotWrite(path: path, reason: "\(error)")
    }
  }
}
