/// Where a renderer's bytes go (a file in the output folder, a gzip stream, memory in tests).
public protocol RenderTarget: AnyObject {
  func write(_ bytes: UnsafeRawBufferPointer) throws
}

/// Collects rendered bytes in memory.
public final class MemoryTarget: RenderTarget {
  public private(set) var bytes: [UInt8] = []

  public init() {}

  public func write(_ bytes: UnsafeRawBufferPointer) throws {
    self.bytes.append(contentsOf: bytes)
  }

  public var text: String { String(decoding: bytes, as: UTF8.self) }
}
