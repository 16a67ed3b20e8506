import Foundation
@_spi(Inlining) import TreasuryModel

/// Formats Unix seconds as ISO 8601 local time with the zone's offset (`2026-03-08T03:00:00-04:00`).
///
/// The zone's offset is looked up once per stretch between transitions, and
/// the date part and offset text once per local day; rows arrive in time order,
/// so nearly every call only formats the time of day.
package final class LocalTimeFormatter {
  package let zone: TimeZone
  private var cachedFrom: Int64 = 1
  private var cachedUntil: Int64 = 0
  private var cachedOffset: Int64 = 0
  /// The local day (days since 1970) whose `YYYY-MM-DDT` and offset text are in `prefix` and `suffix`.
  private var cachedDay = Int64.min
  private var cachedDayOffset = Int64.min
  private var prefix: [UInt8] = []
  private var suffix: [UInt8] = []

  package init(zone: TimeZone) {
    self.zone = zone
  }

  /// Seconds east of UTC at `time`.
  package func offset(at time: Int64) -> Int64 {
    if time >= cachedFrom && time < cachedUntil { return cachedOffset }
    let date = Date(timeIntervalSince1970: TimeInterval(time))
    cachedOffset = Int64(zone.secondsFromGMT(for: date))
    cachedFrom = time
    if let next = zone.nextDaylightSavingTimeTransition(after: date) {
      cachedUntil = Int64(next.timeIntervalSince1970.rounded(.down))
    } else {
      cachedUntil = .max
    }
    // Zones change offsets outside DST rules too; never trust a stretch longer than a year.
    cachedUntil = min(cachedUntil, time + 366 * 86_400)
    return cachedOffset
  }

  package func append(_ time: Int64, to out: ByteBuffer) {
    let offset = offset(at: time)
    let local = time + offset
    let seconds = ((local % 86_400) + 86_400) % 86_400
    let day = (local - seconds) / 86_400
    if day != cachedDay || offset != cachedDayOffset { cacheDay(day, offset: offset) }
    let length = prefix.count + 8 + suffix.count
    let p = out.reserve(length)
    prefix.withUnsafeBufferPointer { p.update(from: $0.baseAddress!, count: $0.count) }
    var q = p + prefix.count
    let hours = Int(seconds / 3600)
    let minutes = Int(seconds / 60 % 60)
    let secs = Int(seconds % 60)
    q[0] = UInt8(ascii: "0") &+ UInt8(hours / 10)
    q[1] = UInt8(ascii: "0") &+ UInt8(hours % 10)
    q[2] = UInt8(ascii: ":")
    q[3] = UInt8(ascii: "0") &+ UInt8(minutes / 10)
    q[4] = UInt8(ascii: "0") &+ UInt8(minutes % 10)
    q[5] = UInt8(ascii: ":")
    q[6] = UInt8(ascii: "0") &+ UInt8(secs / 10)
    q[7] = UInt8(ascii: "0") &+ UInt8(secs % 10)
    q += 8
    suffix.withUnsafeBufferPointer { q.update(from: $0.baseAddress!, count: $0.count) }
    out.commit(length)
  }

  private func cacheDay(_ day: Int64, offset: Int64) {
    cachedDay = day
    cachedDayOffset = offset
    let date = CivilDate(daysSinceEpoch: Int(day))
    prefix = Array((date.iso + "T").utf8)
    let magnitude = Int(offset.magnitude)
    var text = (offset < 0 ? "-" : "+") + pad(magnitude / 3600, 2) + ":" + pad(magnitude / 60 % 60, 2)
    // Historic local-mean-time offsets have seconds; ISO 8601 allows ±hh:mm:ss.
    if magnitude % 60 != 0 { text += ":" + pad(magnitude % 60, 2) }
    suffix = Array(text.utf8)
  }

  package func string(_ time: Int64) -> String {
    let out = ByteBuffer(capacity: 32)
    append(time, to: out)
    return String(decoding: out.bytes, as: UTF8.self)
  }

  /// The local date at `time`.
  package func localDate(_ time: Int64) -> CivilDate {
    CivilDate(localSeconds: time + offset(at: time))
  }
}
