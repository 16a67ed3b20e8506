import Synchronization

/// Bytes read so far across all workers, for the progress line on a terminal.
package final class ReadProgress: Sendable {
  private let bytes = Atomic<Int>(0)
  private let files = Atomic<Int>(0)
  package let totalBytes: Int
  package let totalFiles: Int

  package init(totalBytes: Int, totalFiles: Int) {
    self.totalBytes = totalBytes
    self.totalFiles = totalFiles
  }

  package func add(bytes count: Int) { bytes.add(count, ordering: .relaxed) }
  package func fileDone() { files.add(1, ordering: .relaxed) }

  package var bytesRead: Int { bytes.load(ordering: .relaxed) }
  package var filesRead: Int { files.load(ordering: .relaxed) }
}
