import Synchronization

/// Bytes read so far across all workers, for the progress line on a terminal.
public final class ReadProgress: Sendable {
  private let bytes = Atomic<Int>(0)
  private let files = Atomic<Int>(0)
  public let totalBytes: Int
  public let totalFiles: Int

  public init(totalBytes: Int, totalFiles: Int) {
    self.totalBytes = totalBytes
    self.totalFiles = totalFiles
  }

  public func add(bytes count: Int) { bytes.add(count, ordering: .relaxed) }
  public func fileDone() { files.add(1, ordering: .relaxed) }

  public var bytesRead: Int { bytes.load(ordering: .relaxed) }
  public var filesRead: Int { files.load(ordering: .relaxed) }
}
