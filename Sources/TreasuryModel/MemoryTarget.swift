/// Collects rendered bytes in memory.
package final class MemoryTarget: RenderTarget {
  package private(set) var bytes: [UInt8] = []

  package init() {}

  package func write(_ bytes: UnsafeRawBufferPointer) {
    self.bytes.append(contentsOf: bytes)
  }

  package var text: String { String(decoding: bytes, as: UTF8.self) }
}
