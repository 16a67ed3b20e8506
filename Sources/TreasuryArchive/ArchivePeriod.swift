import Foundation
@_spi(Inlining) import TreasuryModel
import TreasuryRender

/// The period an archive holds, as its statements show it.
package struct ArchivePeriod: Codable, Sendable, Hashable {
  package var label: String
  /// Local time with offset, as in `summary.csv`; `end` is exclusive.
  package var start: String
  package var end: String
  package var timeZone: String
  package var interval: String

  package init(_ period: Period, time: LocalTimeFormatter, interval: Interval) {
    label = period.label
    start = time.string(period.start)
    end = time.string(period.end)
    timeZone = time.zone.identifier
    self.interval = interval.rawValue
  }

  enum CodingKeys: String, CodingKey {
    case label, start, end
    case timeZone = "time_zone"
    case interval
  }
}
