import TreasuryModel
import TreasuryZlib

/// Compresses what is written to it into another target (a file), as one reproducible gzip member.
package final class GzipTarget: RenderTarget {
  private let target: RenderTarget
  private let deflater: Deflater
  private var finished = false

  package init(into target: RenderTarget, level: Int32 = 6) throws(ZlibError) {
    self.target = target
    deflater = try Deflater(level: level)
  }

  package func write(_ bytes: UnsafeRawBufferPointer) throws {
    guard !finished else { throw ZlibError(code: -2, message: "write after the gzip stream was finished") }
    try deflater.deflate(bytes, finish: false) { try target.write($0) }
  }

  /// Ends the gzip stream (trailer with CRC-32 and length). Call once, before closing the file.
  package func finish() throws {
    guard !finished else { return }
    finished = true
    try deflater.deflate(UnsafeRawBufferPointer(start: nil, count: 0), finish: true) { try target.write($0) }
  }
}
