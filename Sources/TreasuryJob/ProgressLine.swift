import Foundation
import Synchronization
import TreasuryInput
import TreasuryOutput

/// A self-overwriting progress line on stderr, refreshed a few times a second while files are read.
final class ProgressLine: Sendable {
  private let progress: ReadProgress
  private let running = Mutex(false)
  private let finished = DispatchSemaphore(value: 0)
  private let drawn = Mutex(false)

  init(progress: ReadProgress) {
    self.progress = progress
  }

  func start() {
    running.withLock { $0 = true }
    let thread = Thread { [self] in
      // Short runs finish before the first draw and print no progress at all.
      var ticks = 0
      while running.withLock({ $0 }) {
        if ticks >= 10 && ticks % 5 == 0 { draw() }
        Thread.sleep(forTimeInterval: 0.05)
        ticks += 1
      }
      finished.signal()
    }
    thread.start()
  }

  /// Stops the ticker and waits for it, so the line is cleared after its last draw.
  func stop() {
    running.withLock { $0 = false }
    finished.wait()
    if drawn.withLock({ $0 }) { StandardError.write("\r\u{1B}[K") }
  }

  private func draw() {
    let mib = { (bytes: Int) in String(bytes >> 20) }
    let line =
      "\rreading: \(progress.filesRead)/\(progress.totalFiles) files, \(mib(progress.bytesRead))/\(mib(progress.totalBytes)) MiB"
    StandardError.write(line)
    drawn.withLock { $0 = true }
  }
}
