@_spi(Inlining) import TreasuryModel
import TreasuryOutput

/// What a fetch tells a person while it runs: a line per finished account, and on a terminal a live status line
/// (the same `ProgressTicker` as statements' reading line).
final class FetchProgress: Sendable {
  private let ticker: ProgressTicker
  /// Applied to every line before it is shown (takes the API key out).
  private let scrub: @Sendable (String) -> String

  init(counters: FetchCounters, live: Bool, scrub: @escaping @Sendable (String) -> String = { $0 }) {
    self.scrub = scrub
    ticker = ProgressTicker(live: live, every: 4) {
      let s = counters.snapshot
      var line =
        "fetch: \(s.objects.counted("object")), \(s.pages.counted("page")), \(s.requests.counted("request")) (\(s.retries.counted("retry", plural: "retries"))), \(s.listsDone.counted("list")) done"
      if let current = s.current.values.sorted().first {
        line += " | " + current + (s.current.count > 1 ? " (+\(s.current.count - 1) more)" : "")
      }
      return scrub(line).prefix(159) + "\u{1B}[K"
    }
  }

  func start() { ticker.start() }

  func stop() { ticker.stop() }

  /// Prints a lasting line (above the live line on a terminal).
  func log(_ line: String) {
    ticker.print(TerminalText.lines(["treasury-report: " + scrub(line)]))
  }
}
