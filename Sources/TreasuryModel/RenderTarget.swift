/// Where a renderer's bytes go (a file in the output folder, a gzip stream, memory in tests).
package protocol RenderTarget: AnyObject {
  func write(_ bytes: UnsafeRawBufferPointer) throws
}

/// Collects rendered bytes in memory.
package final class MemoryTarget: RenderTarget {
  package private(set) var bytes: [UInt8] = []

  package init() {}

  package func write(_ bytes: UnsafeRawBufferPointer) throws {
    self.bytes.append(contentsOf: bytes)
  }

  package var text: String { String(decoding: bytes, as: UTF8.self) }
}
