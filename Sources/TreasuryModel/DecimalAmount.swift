/// Writes integer minor units as a decimal in major units with exactly the currency's digits (`-1234.56`).
package enum DecimalAmount {
  package static func append(_ minor: Int64, digits: Int, to out: ByteBuffer) {
    // Digits are produced from the right into a small stack buffer, two at a
    // time from a table, then copied once. The magnitude is a UInt64:
    // Int64.min has no positive Int64.
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { scratch in
      var v = minor.magnitude
      var i = 32
      var fractionLeft = digits
      Self.pairs.withUnsafeBufferPointer { pairs in
        while fractionLeft >= 2 {
          let pair = Int(v % 100) &* 2
          v /= 100
          i -= 2
          scratch[i] = pairs[pair]
          scratch[i + 1] = pairs[pair + 1]
          fractionLeft -= 2
        }
        if fractionLeft == 1 {
          i -= 1
          scratch[i] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: v % 10)
          v /= 10
        }
        if digits > 0 {
          i -= 1
          scratch[i] = UInt8(ascii: ".")
        }
        while v >= 100 {
          let pair = Int(v % 100) &* 2
          v /= 100
          i -= 2
          scratch[i] = pairs[pair]
          scratch[i + 1] = pairs[pair + 1]
        }
        if v >= 10 {
          let pair = Int(v) &* 2
          i -= 2
          scratch[i] = pairs[pair]
          scratch[i + 1] = pairs[pair + 1]
        } else {
          i -= 1
          scratch[i] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: v)
        }
      }
      if minor < 0 {
        i -= 1
        scratch[i] = UInt8(ascii: "-")
      }
      let length = 32 - i
      out.reserve(length).update(from: scratch.baseAddress! + i, count: length)
      out.commit(length)
    }
  }

  /// "00" "01" … "99", two ASCII digits each.
  private static let pairs: [UInt8] = (0..<100).flatMap { n in
    [UInt8(ascii: "0") + UInt8(n / 10), UInt8(ascii: "0") + UInt8(n % 10)]
  }

  package static func string(_ minor: Int64, digits: Int) -> String {
    let out = ByteBuffer(capacity: 32)
    append(minor, digits: digits, to: out)
    return String(decoding: out.bytes, as: UTF8.self)
  }
}
