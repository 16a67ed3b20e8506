@_spi(Inlining) import TreasuryModel

/// How an amount is written for people or their software: decimal mark, thousands separator, negative form.
///
/// The digits always come from `DecimalAmount` (exact minor units, the
/// currency's digits); only the punctuation changes.
package struct AmountStyle: Sendable, Equatable {
  package var decimalMark: UInt8 = UInt8(ascii: ".")
  package var thousandsSeparator: UInt8?
  package var negative = CSVProfile.Negative.minus
  /// Put before a negative amount instead of `-` (U+2212 MINUS SIGN for print), when `negative` is minus.
  package var minusSign: [UInt8] = [UInt8(ascii: "-")]

  package init(
    decimalMark: UInt8 = UInt8(ascii: "."), thousandsSeparator: UInt8? = nil,
    negative: CSVProfile.Negative = .minus, minusSign: [UInt8] = [UInt8(ascii: "-")]
  ) {
    self.decimalMark = decimalMark
    self.thousandsSeparator = thousandsSeparator
    self.negative = negative
    self.minusSign = minusSign
  }

  /// `DecimalAmount`'s own form (`-1234.56`).
  package var isPlain: Bool {
    decimalMark == UInt8(ascii: ".") && thousandsSeparator == nil && negative == .minus && minusSign == [0x2D]
  }

  /// Appends `minor` with `digits` decimals in this style; `scratch` is reused between calls.
  package func append(_ minor: Int64, digits: Int, to out: ByteBuffer, scratch: ByteBuffer) {
    if isPlain { return DecimalAmount.append(minor, digits: digits, to: out) }
    scratch.removeAll()
    DecimalAmount.append(minor, digits: digits, to: scratch)
    let bytes = scratch.bytes
    let negativeValue = minor < 0
    let start = negativeValue ? 1 : 0
    let integerEnd = digits > 0 ? bytes.count - digits - 1 : bytes.count
    if negativeValue {
      if negative == .parentheses {
        out.append(UInt8(ascii: "("))
      } else {
        minusSign.withUnsafeBytes { out.append($0) }
      }
    }
    for i in start..<integerEnd {
      out.append(bytes[i])
      let left = integerEnd - i - 1
      if let separator = thousandsSeparator, left > 0, left % 3 == 0 { out.append(separator) }
    }
    if digits > 0 {
      out.append(decimalMark)
      out.append(UnsafeRawBufferPointer(rebasing: bytes[(integerEnd + 1)...]))
    }
    if negativeValue && negative == .parentheses { out.append(UInt8(ascii: ")")) }
  }

  package func string(_ minor: Int64, digits: Int) -> String {
    let out = ByteBuffer(capacity: 48)
    append(minor, digits: digits, to: out, scratch: ByteBuffer(capacity: 48))
    return String(decoding: out.bytes, as: UTF8.self)
  }
}
