extension JSONScanner {
  // MARK: Numbers

  /// Reads a JSON number, reporting whether it is an integer that fits Int64.
  ///
  /// Up to 18 digits cannot overflow, so they take a loop without checks;
  /// anything else (fractions, exponents, long numbers, bad syntax) goes to
  /// `readNumberChecked`.
  @inline(__always)
  package mutating func readInteger() throws(JSONSyntaxError) -> IntegerToken {
    var i = position
    var negative = false
    if i < end && base[i] == UInt8(ascii: "-") {
      negative = true
      i += 1
    }
    let first = i
    var value: Int64 = 0
    while i < end {
      let digit = base[i] &- UInt8(ascii: "0")
      guard digit < 10 else { break }
      value = value &* 10 &+ Int64(digit)
      i += 1
    }
    let count = i - first
    let next = i < end ? base[i] : 0
    guard count > 0, count <= 18, count == 1 || base[first] != UInt8(ascii: "0"),
      next != UInt8(ascii: "."), next != UInt8(ascii: "e"), next != UInt8(ascii: "E")
    else { return try readNumberChecked() }
    position = i
    return .integer(negative ? -value : value)
  }

  /// The full JSON number grammar, with overflow checks.
  private mutating func readNumberChecked() throws(JSONSyntaxError) -> IntegerToken {
    let start = position
    var i = position
    var negative = false
    if i < end && base[i] == UInt8(ascii: "-") {
      negative = true
      i += 1
    }
    guard i < end, base[i] >= UInt8(ascii: "0"), base[i] <= UInt8(ascii: "9") else {
      position = i
      throw fail("expected a digit")
    }
    // Accumulate as a negative number: Int64.min has no positive counterpart.
    var value: Int64 = 0
    var overflow = false
    if base[i] == UInt8(ascii: "0") {
      i += 1
      if i < end, base[i] >= UInt8(ascii: "0"), base[i] <= UInt8(ascii: "9") {
        position = i
        throw fail("numbers must not have leading zeros; expected ',' or the end of the number")
      }
    } else {
      while i < end {
        let c = base[i]
        guard c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") else { break }
        let (m, o1) = value.multipliedReportingOverflow(by: 10)
        let (s, o2) = m.subtractingReportingOverflow(Int64(c - UInt8(ascii: "0")))
        if o1 || o2 { overflow = true }
        value = s
        i += 1
      }
    }
    var isInteger = true
    if i < end && base[i] == UInt8(ascii: ".") {
      isInteger = false
      i += 1
      guard i < end, base[i] >= UInt8(ascii: "0"), base[i] <= UInt8(ascii: "9") else {
        position = i
        throw fail("expected a digit after '.'")
      }
      while i < end, base[i] >= UInt8(ascii: "0"), base[i] <= UInt8(ascii: "9") { i += 1 }
    }
    if i < end && (base[i] == UInt8(ascii: "e") || base[i] == UInt8(ascii: "E")) {
      isInteger = false
      i += 1
      if i < end && (base[i] == UInt8(ascii: "+") || base[i] == UInt8(ascii: "-")) { i += 1 }
      guard i < end, base[i] >= UInt8(ascii: "0"), base[i] <= UInt8(ascii: "9") else {
        position = i
        throw fail("expected a digit in the exponent")
      }
      while i < end, base[i] >= UInt8(ascii: "0"), base[i] <= UInt8(ascii: "9") { i += 1 }
    }
    position = i
    if !isInteger { return .notInteger(start: start, end: i) }
    if overflow { return .outOfRange(start: start, end: i) }
    if negative { return .integer(value) }
    guard value != Int64.min else { return .outOfRange(start: start, end: i) }
    return .integer(-value)
  }
}
