import Foundation
import Synchronization
import TreasuryModel
import TreasuryOutput

/// What a fetch tells a person while it runs: a line per finished account, and on a terminal a live status line.
final class FetchProgress: Sendable {
  private let counters: FetchCounters
  private let live: Bool
  /// Applied to every line before it is shown (takes the API key out).
  private let scrub: @Sendable (String) -> String
  private let running = Mutex(false)
  private let drawn = Mutex(false)
  private let output = Mutex(())
  private let finished = DispatchSemaphore(value: 0)

  init(counters: FetchCounters, live: Bool, scrub: @escaping @Sendable (String) -> String = { $0 }) {
    self.counters = counters
    self.live = live
    self.scrub = scrub
  }

  func start() {
    guard live else { return }
    running.withLock { $0 = true }
    let thread = Thread { [self] in
      var ticks = 0
      while running.withLock({ $0 }) {
        if ticks % 4 == 0 { draw() }
        Thread.sleep(forTimeInterval: 0.05)
        ticks += 1
      }
      finished.signal()
    }
    thread.start()
  }

  func stop() {
    guard live, running.withLock({ $0 }) else { return }
    running.withLock { $0 = false }
    finished.wait()
    output.withLock { _ in
      if drawn.withLock({ $0 }) { StandardError.write("\r\u{1B}[K") }
    }
  }

  /// Prints a lasting line (above the live line on a terminal).
  func log(_ line: String) {
    output.withLock { _ in
      let clear = live && drawn.withLock({ $0 }) ? "\r\u{1B}[K" : ""
      StandardError.write(clear + TerminalText.lines(["treasury-report: " + scrub(line)]))
    }
  }

  private func draw() {
    let s = counters.snapshot
    var line =
      "\rfetch: \(s.objects) objects, \(s.pages) pages, \(s.requests) requests (\(s.retries) retries), \(s.listsDone) lists done"
    if let current = s.current.values.sorted().first {
      line += " | " + current + (s.current.count > 1 ? " (+\(s.current.count - 1) more)" : "")
    }
    output.withLock { _ in
      StandardError.write(scrub(line).prefix(160) + "\u{1B}[K")
      drawn.withLock { $0 = true }
    }
  }
}
