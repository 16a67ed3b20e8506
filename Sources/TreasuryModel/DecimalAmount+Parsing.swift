extension DecimalAmount {
  /// Minor units from the text `append` writes (`-1234.56`, exactly `digits` decimals), or nil for anything else.
  ///
  /// Used by `verify` to read amounts back from CSV files; it accepts only
  /// the canonical form, so a cell that was edited into `1234.5` or `+12.00`
  /// is a finding rather than a silent reinterpretation.
  package static func parse<Text: StringProtocol>(_ text: Text, digits: Int) -> Int64? {
    var string = String(text)
    return string.withUTF8 { parse(bytes: UnsafeRawBufferPointer($0), digits: digits) }
  }

  /// `parse` on UTF-8 bytes, without making a string of them (verify reads millions of amounts).
  package static func parse(bytes: UnsafeRawBufferPointer, digits: Int) -> Int64? {
    let n = bytes.count
    let negative = n > 0 && bytes[0] == UInt8(ascii: "-")
    let first = negative ? 1 : 0
    var point = -1
    for j in first..<max(first, n) where bytes[j] == UInt8(ascii: ".") {
      point = j
      break
    }
    let wholeEnd = point >= 0 ? point : n
    let fraction = point >= 0 ? n - point - 1 : 0
    guard wholeEnd > first, (point < 0) == (digits == 0), fraction == digits else { return nil }
    if wholeEnd - first > 1 && bytes[first] == UInt8(ascii: "0") { return nil }
    var value: Int64 = 0
    for j in first..<n where j != point {
      let byte = bytes[j]
      guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
      let (times, o1) = value.multipliedReportingOverflow(by: 10)
      let (sum, o2) = times.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
      guard !o1 && !o2 else { return nil }
      value = sum
    }
    if negative && value == 0 { return nil }
    return negative ? -value : value
  }
}
