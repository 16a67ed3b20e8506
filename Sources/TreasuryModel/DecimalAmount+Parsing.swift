extension DecimalAmount {
  /// Minor units from the text `append` writes (`-1234.56`, exactly `digits` decimals), or nil for anything else.
  ///
  /// Used by `verify` to read amounts back from CSV files; it accepts only
  /// the canonical form, so a cell that was edited into `1234.5` or `+12.00`
  /// is a finding rather than a silent reinterpretation.
  package static func parse<Text: StringProtocol>(_ text: Text, digits: Int) -> Int64? {
    var bytes = Array(text.utf8)[...]
    let negative = bytes.first == UInt8(ascii: "-")
    if negative { bytes = bytes.dropFirst() }
    let point = bytes.firstIndex(of: UInt8(ascii: "."))
    let whole = point.map { bytes[..<$0] } ?? bytes
    let fraction = point.map { bytes[($0 + 1)...] } ?? []
    guard !whole.isEmpty, (point == nil) == (digits == 0), fraction.count == digits else { return nil }
    if whole.count > 1 && whole.first == UInt8(ascii: "0") { return nil }
    var value: Int64 = 0
    for byte in whole + fraction {
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
