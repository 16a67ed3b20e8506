@_spi(Inlining) import TreasuryModel

/// A date layout such as `MM/DD/YYYY`: the tokens YYYY, YY, MM and DD between literal separators.
package struct DatePattern: Sendable, Equatable {
  enum Part: Sendable, Equatable {
    case year, shortYear, month, day
    case literal(UInt8)
  }

  let parts: [Part]

  /// `YYYY-MM-DD`.
  package static let iso = DatePattern(parts: [.year, .literal(0x2D), .month, .literal(0x2D), .day])

  init(parts: [Part]) { self.parts = parts }

  /// Nil unless the text has a year, a month and a day, once each, and separators that are printable ASCII
  /// other than letters, digits and quotes.
  package init?(_ text: String) {
    var parts: [Part] = []
    var rest = Substring(text)
    while let c = rest.first {
      if rest.hasPrefix("YYYY") {
        parts.append(.year)
        rest = rest.dropFirst(4)
      } else if rest.hasPrefix("YY") {
        parts.append(.shortYear)
        rest = rest.dropFirst(2)
      } else if rest.hasPrefix("MM") {
        parts.append(.month)
        rest = rest.dropFirst(2)
      } else if rest.hasPrefix("DD") {
        parts.append(.day)
        rest = rest.dropFirst(2)
      } else {
        guard let ascii = c.asciiValue, ascii >= 0x20, ascii < 0x7F, !c.isLetter, !c.isNumber, c != "\"" else {
          return nil
        }
        parts.append(.literal(ascii))
        rest = rest.dropFirst()
      }
    }
    let years = parts.count { $0 == .year || $0 == .shortYear }
    guard years == 1, parts.count(where: { $0 == .month }) == 1, parts.count(where: { $0 == .day }) == 1 else {
      return nil
    }
    self.parts = parts
  }

  /// Appends `date` in this layout.
  package func append(_ date: CivilDate, to out: ByteBuffer) {
    func two(_ n: Int) {
      out.append(UInt8(ascii: "0") &+ UInt8(n / 10 % 10))
      out.append(UInt8(ascii: "0") &+ UInt8(n % 10))
    }
    for part in parts {
      switch part {
      case .year:
        two(date.year / 100)
        two(date.year % 100)
      case .shortYear: two(date.year % 100)
      case .month: two(date.month)
      case .day: two(date.day)
      case .literal(let c): out.append(c)
      }
    }
  }

  package func string(_ date: CivilDate) -> String {
    let out = ByteBuffer(capacity: 16)
    append(date, to: out)
    return String(decoding: out.bytes, as: UTF8.self)
  }
}
