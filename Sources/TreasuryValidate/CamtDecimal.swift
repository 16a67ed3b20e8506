/// An exact decimal read from a camt.053 document, held as an integer number of 10⁻¹⁷.
///
/// The schema's decimals have at most 18 digits and 17 decimals, so 128 bits
/// hold any of them exactly; no floating point is involved.
struct CamtDecimal: Hashable, Comparable, Sendable {
  static let fractionLimit = 17
  static let unit: Int128 = {
    var value: Int128 = 1
    for _ in 0..<fractionLimit { value *= 10 }
    return value
  }()

  var scaled: Int128
  /// Decimals as written (`12.50` has 2).
  var fractionDigits: Int

  static let zero = CamtDecimal(scaled: 0, fractionDigits: 0)

  init(scaled: Int128, fractionDigits: Int) {
    self.scaled = scaled
    self.fractionDigits = fractionDigits
  }

  /// Reads the xs:decimal lexical form (`12`, `-3.50`, `+.5`); nil for anything else or beyond 18+17 digits.
  init?(_ text: String) {
    let trimmed = text.utf8.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
    var bytes = Array(trimmed)
    while let last = bytes.last, last == 0x20 || last == 0x09 || last == 0x0A || last == 0x0D { bytes.removeLast() }
    var negative = false
    var i = 0
    if i < bytes.count, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
      negative = bytes[i] == UInt8(ascii: "-")
      i += 1
    }
    var integer: Int128 = 0
    var integerDigits = 0
    var fraction: Int128 = 0
    var fractionDigits = 0
    var seenPoint = false
    while i < bytes.count {
      let c = bytes[i]
      if c == UInt8(ascii: ".") && !seenPoint {
        seenPoint = true
      } else if c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") {
        if seenPoint {
          fractionDigits += 1
          guard fractionDigits <= Self.fractionLimit else { return nil }
          fraction = fraction * 10 + Int128(c - UInt8(ascii: "0"))
        } else {
          integerDigits += 1
          integer = integer * 10 + Int128(c - UInt8(ascii: "0"))
          // Leading zeros do not count towards the 18 digits.
          guard integer < 1_000_000_000_000_000_000 else { return nil }
        }
      } else {
        return nil
      }
      i += 1
    }
    guard integerDigits + fractionDigits > 0 else { return nil }
    var scale: Int128 = 1
    for _ in fractionDigits..<Self.fractionLimit { scale *= 10 }
    let magnitude = integer * Self.unit + fraction * scale
    scaled = negative ? -magnitude : magnitude
    self.fractionDigits = fractionDigits
  }

  /// Integer minor units of a currency with `digits` decimals.
  init(minor: Int64, digits: Int) {
    var scale: Int128 = 1
    for _ in digits..<Self.fractionLimit { scale *= 10 }
    scaled = Int128(minor) * scale
    fractionDigits = digits
  }

  var negated: CamtDecimal { CamtDecimal(scaled: -scaled, fractionDigits: fractionDigits) }

  /// `self + other`, or nil on overflow (sums of absurd amounts).
  func adding(_ other: CamtDecimal) -> CamtDecimal? {
    let (sum, overflow) = scaled.addingReportingOverflow(other.scaled)
    return overflow ? nil : CamtDecimal(scaled: sum, fractionDigits: max(fractionDigits, other.fractionDigits))
  }

  /// Written with at least `digits` decimals (more only when the value needs them): `-1234.50`.
  func formatted(digits: Int) -> String {
    let magnitude = scaled.magnitude
    let unit = UInt128(Self.unit)
    var text = scaled < 0 ? "-" : ""
    text += String(magnitude / unit)
    var fraction = String(magnitude % unit)
    fraction = String(repeating: "0", count: Self.fractionLimit - fraction.count) + fraction
    while fraction.count > digits, fraction.last == "0" { fraction.removeLast() }
    if !fraction.isEmpty { text += "." + fraction }
    return text
  }

  static func < (a: Self, b: Self) -> Bool { a.scaled < b.scaled }

  static func == (a: Self, b: Self) -> Bool { a.scaled == b.scaled }

  func hash(into hasher: inout Hasher) { hasher.combine(scaled) }
}
