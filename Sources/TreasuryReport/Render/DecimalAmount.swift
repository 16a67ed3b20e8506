/// Writes integer minor units as a decimal in major units with exactly the currency's digits (`-1234.56`).
public enum DecimalAmount {
  public static func append(_ minor: Int64, digits: Int, to out: inout [UInt8]) {
    if minor < 0 { out.append(UInt8(ascii: "-")) }
    // The magnitude as UInt64: Int64.min has no positive Int64.
    let magnitude = minor.magnitude
    var divisor: UInt64 = 1
    for _ in 0..<digits { divisor *= 10 }
    appendDigits(magnitude / divisor, to: &out)
    guard digits > 0 else { return }
    out.append(UInt8(ascii: "."))
    appendDigits(magnitude % divisor, width: digits, to: &out)
  }

  public static func string(_ minor: Int64, digits: Int) -> String {
    var out: [UInt8] = []
    append(minor, digits: digits, to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  /// Decimal digits of `value`, left-padded with zeros to `width`.
  @inline(__always)
  static func appendDigits(_ value: UInt64, width: Int = 1, to out: inout [UInt8]) {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { buffer in
      var i = 24
      var v = value
      repeat {
        i -= 1
        buffer[i] = UInt8(ascii: "0") + UInt8(v % 10)
        v /= 10
      } while v > 0 || 24 - i < width
      out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[i..<24]))
    }
  }
}
