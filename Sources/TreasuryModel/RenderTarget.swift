/// Where a renderer's bytes go (a file in the output folder, a gzip stream, memory in tests).
///
/// `write` throws one typed error, `OutputError`: renderers wrap it in `RenderError.output` and never need to ask
/// what else a target might throw.
package protocol RenderTarget: AnyObject {
  func write(_ bytes: UnsafeRawBufferPointer) throws(OutputError)
}

extension RenderTarget {
  /// `write`, with a failure as a renderer's error.
  @inline(__always)
  package func emit(_ bytes: UnsafeRawBufferPointer) throws(RenderError) {
    do { try write(bytes) } catch { throw .output(error) }
  }
}
