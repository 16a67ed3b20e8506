import Foundation
import Synchronization

/// A self-overwriting status line on stderr, redrawn on a thread of its own while a run works (statements'
/// reading line, fetch's counters); lasting lines printed through `print` appear above it.
///
/// Off a terminal (`live: false`) nothing is drawn and `print` writes plainly.
package final class ProgressTicker: Sendable {
  /// Time between ticks.
  package static let tick = 0.05
  private let live: Bool
  private let firstDraw: Int
  private let every: Int
  private let status: @Sendable () -> String
  private let running = Mutex(false)
  private let drawn = Mutex(false)
  /// Held while writing, so a lasting line and a redraw never interleave.
  private let output = Mutex(())
  private let finished = DispatchSemaphore(value: 0)

  /// `status`: the line's text (without `\r`), asked at every draw; drawn first after `firstDraw` ticks (a short
  /// run prints no progress at all), then every `every` ticks.
  package init(live: Bool, firstDraw: Int = 0, every: Int, status: @escaping @Sendable () -> String) {
    self.live = live
    self.firstDraw = firstDraw
    self.every = max(1, every)
    self.status = status
  }

  package func start() {
    guard live else { return }
    running.withLock { $0 = true }
    let thread = Thread { [self] in
      var ticks = 0
      while running.withLock({ $0 }) {
        if ticks >= firstDraw && ticks % every == 0 { draw() }
        Thread.sleep(forTimeInterval: Self.tick)
        ticks += 1
      }
      finished.signal()
    }
    thread.start()
  }

  /// Stops the ticker and waits for it, so the line is cleared after its last draw.
  package func stop() {
    guard live, running.withLock({ $0 }) else { return }
    running.withLock { $0 = false }
    finished.wait()
    output.withLock { _ in
      if drawn.withLock({ $0 }) { StandardError.write("\r\u{1B}[K") }
    }
  }

  /// Writes `text` (whole lines) above the live line.
  package func print(_ text: String) {
    output.withLock { _ in
      let clear = live && drawn.withLock({ $0 }) ? "\r\u{1B}[K" : ""
      StandardError.write(clear + text)
    }
  }

  private func draw() {
    let line = "\r" + status()
    output.withLock { _ in
      StandardError.write(line)
      drawn.withLock { $0 = true }
    }
  }
}
