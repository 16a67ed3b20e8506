import Foundation

/// Formats Unix seconds as ISO 8601 local time with the zone's offset (`2026-03-08T03:00:00-04:00`).
///
/// The zone's offset is looked up once per stretch between transitions and
/// cached; rows arrive in time order, so nearly every call is arithmetic only.
public final class LocalTimeFormatter {
  public let zone: TimeZone
  private var cachedFrom: Int64 = 1
  private var cachedUntil: Int64 = 0
  private var cachedOffset: Int64 = 0

  public init(zone: TimeZone) {
    self.zone = zone
  }

  /// Seconds east of UTC at `time`.
  public func offset(at time: Int64) -> Int64 {
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

  public func append(_ time: Int64, to out: inout [UInt8]) {
    let offset = offset(at: time)
    let local = time + offset
    let seconds = ((local % 86_400) + 86_400) % 86_400
    let date = CivilDate(daysSinceEpoch: Int((local - seconds) / 86_400))
    append4(date.year, &out)
    out.append(UInt8(ascii: "-"))
    append2(date.month, &out)
    out.append(UInt8(ascii: "-"))
    append2(date.day, &out)
    out.append(UInt8(ascii: "T"))
    append2(Int(seconds / 3600), &out)
    out.append(UInt8(ascii: ":"))
    append2(Int(seconds / 60 % 60), &out)
    out.append(UInt8(ascii: ":"))
    append2(Int(seconds % 60), &out)
    out.append(offset < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
    let magnitude = Int(offset.magnitude)
    append2(magnitude / 3600, &out)
    out.append(UInt8(ascii: ":"))
    append2(magnitude / 60 % 60, &out)
    if magnitude % 60 != 0 {
      // Historic local-mean-time offsets have seconds; ISO 8601 allows ±hh:mm:ss.
      out.append(UInt8(ascii: ":"))
      append2(magnitude % 60, &out)
    }
  }

  public func string(_ time: Int64) -> String {
    var out: [UInt8] = []
    append(time, to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  /// The local date at `time`, as `YYYY-MM-DD`.
  public func localDate(_ time: Int64) -> CivilDate {
    let local = time + offset(at: time)
    return CivilDate(daysSinceEpoch: Int((local - ((local % 86_400) + 86_400) % 86_400) / 86_400))
  }

  @inline(__always) private func append2(_ v: Int, _ out: inout [UInt8]) {
    out.append(UInt8(ascii: "0") + UInt8(v / 10 % 10))
    out.append(UInt8(ascii: "0") + UInt8(v % 10))
  }

  @inline(__always) private func append4(_ v: Int, _ out: inout [UInt8]) {
    append2(v / 100, &out)
    append2(v % 100, &out)
  }
}
