import Foundation

/// A CSV layout for accounting software, read from a JSON file in `templates/csv/` (`quickbooks.json`, …).
///
/// A profile names its columns (each a header and a value of the booked line)
/// and the dialect: delimiter, line ending, byte-order mark, header row, date
/// format, decimal mark, thousands separator, how negative amounts look, and
/// whether text cells get the formula guard (`formula_guard`: on for files
/// meant to be opened in a spreadsheet, off for those an importer reads,
/// which would keep the `'` as part of the text).
/// Every key is checked: an unknown key, column value or option is an error
/// naming the file and the key, so a typo never silently drops a column.
package struct CSVProfile: Sendable, Equatable {
  /// What a column holds, for each booked line.
  package enum Value: String, Sendable, CaseIterable {
    /// posted_at as ISO 8601 local time with offset (as in transactions.csv).
    case postedAt = "posted_at"
    /// The local date of posted_at, in `date_format`.
    case postedDate = "posted_date"
    case created
    case createdDate = "created_date"
    case id
    case flowType = "flow_type"
    case flow
    case description
    /// The signed amount.
    case amount
    /// The amount when positive, else empty.
    case credit
    /// The magnitude of the amount when negative, else empty.
    case debit
    /// The transaction's whole balance impact on cash (all its entries, not its movement in the period).
    case impactCash = "impact_cash"
    case impactInboundPending = "impact_inbound_pending"
    case impactOutboundPending = "impact_outbound_pending"
    case runningBookedBalance = "running_booked_balance"
    /// The ISO 4217 code in capitals (`USD`).
    case currency
    case financialAccount = "financial_account"
    /// The connected account (`acct_…`), empty for the platform.
    case account
    /// Always empty (a column the software expects but the dump cannot fill).
    case empty
  }

  package struct Column: Sendable, Equatable {
    package var header: String
    package var value: Value
  }

  package enum Negative: String, Sendable {
    /// `-12.34`
    case minus
    /// `(12.34)`
    case parentheses
  }

  package enum LineEnding: String, Sendable {
    case crlf, lf
  }

  /// The profile's name: its file name without `.json`.
  package var name: String
  package var delimiter: UInt8 = UInt8(ascii: ",")
  package var lineEnding = LineEnding.crlf
  package var byteOrderMark = false
  package var header = true
  package var dateFormat = DatePattern.iso
  package var decimalMark: UInt8 = UInt8(ascii: ".")
  /// Nil: no grouping of thousands.
  package var thousandsSeparator: UInt8?
  package var negative = Negative.minus
  /// A leading `'` on text cells that start with `= + - @`, tab or CR (true unless the profile says otherwise).
  package var formulaGuard = true
  /// The most columns a profile may have, and the longest header (bytes).
  package static let columnLimit = 64
  package static let headerLimit = 256
  package var columns: [Column] = []

  /// The keys a profile file may have.
  package static let keys = [
    "description", "delimiter", "line_ending", "bom", "header", "date_format", "decimal_mark",
    "thousands_separator", "negative", "formula_guard", "columns",
  ]

  /// Column values renamed since profiles were first written, with their new names.
  static let renamedValues = [
    "cash": "impact_cash", "inbound_pending": "impact_inbound_pending", "outbound_pending": "impact_outbound_pending",
  ]

  /// A profile name: lowercase letters, digits, `-` and `_`, starting with a letter or digit, at most 40
  /// characters, and not three letters alone (which would read as a currency code in file names such as
  /// `transactions.eur.csv`).
  package static func isValidName(_ name: String) -> Bool {
    let bytes = Array(name.utf8)
    guard let first = bytes.first, bytes.count <= 40 else { return false }
    let isLetter = { (b: UInt8) in b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z") }
    let isDigit = { (b: UInt8) in b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
    guard isLetter(first) || isDigit(first) else { return false }
    guard bytes.allSatisfy({ isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") })
    else { return false }
    return !(bytes.count == 3 && bytes.allSatisfy(isLetter))
  }

  /// The file's content, as JSON decodes it (types checked; keys checked apart).
  private struct File: Decodable {
    /// For people reading the file: checked to be a string, not used.
    var description: String?
    var delimiter: String?
    var lineEnding: String?
    var bom: Bool?
    var header: Bool?
    var dateFormat: String?
    var decimalMark: String?
    var thousandsSeparator: String?
    var negative: String?
    var formulaGuard: Bool?
    var columns: [ColumnFile]?

    enum CodingKeys: String, CodingKey {
      case description, delimiter, bom, header, negative, columns
      case formulaGuard = "formula_guard"
      case lineEnding = "line_ending"
      case dateFormat = "date_format"
      case decimalMark = "decimal_mark"
      case thousandsSeparator = "thousands_separator"
    }
  }

  private struct ColumnFile: Decodable {
    var header: String?
    var value: String?
  }

  /// Reads a profile file's bytes; `file` names it in errors.
  package static func parse(_ data: [UInt8], name: String, file: String) throws(TemplateError) -> CSVProfile {
    let object: Any
    do {
      object = try JSONSerialization.jsonObject(with: Data(data))
    } catch {
      throw .invalidProfile(file: file, key: nil, reason: "is not valid JSON (\(Self.describe(error)))")
    }
    guard let fields = object as? [String: Any] else {
      throw .invalidProfile(file: file, key: nil, reason: "must hold one JSON object")
    }
    for key in fields.keys.sorted() where !keys.contains(key) {
      throw .invalidProfile(
        file: file, key: key, reason: "is not a profile option (options: \(keys.joined(separator: ", ")))")
    }
    for (i, item) in ((fields["columns"] as? [Any]) ?? []).enumerated() {
      for name in ((item as? [String: Any]) ?? [:]).keys.sorted() where name != "header" && name != "value" {
        throw .invalidProfile(
          file: file, key: "columns[\(i)].\(name)", reason: "is not a column option (header, value)")
      }
    }
    let decoded: File
    do {
      decoded = try JSONDecoder().decode(File.self, from: Data(data))
    } catch let DecodingError.typeMismatch(type, context) {
      throw .invalidProfile(file: file, key: Self.path(context), reason: "must be \(Self.kind(type))")
    } catch let DecodingError.valueNotFound(type, context) {
      throw .invalidProfile(file: file, key: Self.path(context), reason: "must be \(Self.kind(type)), not null")
    } catch {
      throw .invalidProfile(file: file, key: nil, reason: "cannot be read (\(error))")
    }

    var profile = CSVProfile(name: name)
    func character(_ key: String, _ text: String?, allowEmpty: Bool) throws(TemplateError) -> UInt8?? {
      guard let text else { return nil }
      if text.isEmpty && allowEmpty { return .some(nil) }
      let bytes = Array(text.utf8)
      // A tab is a fine delimiter (TSV); no other control character is.
      let tabAllowed = key == "delimiter" && bytes == [0x09]
      // The formula guard prefixes an apostrophe to a cell: as the delimiter, it would split the guarded cell.
      let apostropheRefused = key == "delimiter" && bytes == [UInt8(ascii: "'")]
      guard bytes.count == 1, tabAllowed || (bytes[0] >= 0x20 && bytes[0] < 0x7F), bytes[0] != UInt8(ascii: "\""),
        !apostropheRefused
      else {
        let other = key == "delimiter" ? "a double quote or an apostrophe" : "a double quote"
        throw .invalidProfile(
          file: file, key: key,
          reason:
            "must be one printable ASCII character (or a tab) other than \(other)\(allowEmpty ? ", or empty" : ""), found \"\(text)\""
        )
      }
      return .some(bytes[0])
    }

    if case .some(.some(let c)) = try character("delimiter", decoded.delimiter, allowEmpty: false) {
      profile.delimiter = c
    }
    if let text = decoded.lineEnding {
      guard let ending = LineEnding(rawValue: text) else {
        throw .invalidProfile(file: file, key: "line_ending", reason: "must be \"crlf\" or \"lf\", found \"\(text)\"")
      }
      profile.lineEnding = ending
    }
    if let flag = decoded.bom { profile.byteOrderMark = flag }
    if let flag = decoded.header { profile.header = flag }
    if let flag = decoded.formulaGuard { profile.formulaGuard = flag }
    if let text = decoded.dateFormat {
      guard let pattern = DatePattern(text) else {
        throw .invalidProfile(
          file: file, key: "date_format",
          reason: "must combine YYYY or YY, MM and DD with separators (such as MM/DD/YYYY), found \"\(text)\"")
      }
      profile.dateFormat = pattern
    }
    if case .some(.some(let c)) = try character("decimal_mark", decoded.decimalMark, allowEmpty: false) {
      guard c == UInt8(ascii: ".") || c == UInt8(ascii: ",") else {
        throw .invalidProfile(file: file, key: "decimal_mark", reason: "must be \".\" or \",\"")
      }
      profile.decimalMark = c
    }
    if case .some(let c) = try character("thousands_separator", decoded.thousandsSeparator, allowEmpty: true) {
      profile.thousandsSeparator = c
    }
    if let text = decoded.negative {
      guard let style = Negative(rawValue: text) else {
        throw .invalidProfile(
          file: file, key: "negative", reason: "must be \"minus\" or \"parentheses\", found \"\(text)\"")
      }
      profile.negative = style
    }
    guard let columns = decoded.columns, !columns.isEmpty else {
      throw .invalidProfile(file: file, key: "columns", reason: "must be a non-empty list of {\"header\", \"value\"}")
    }
    // Bounded so that every record the tool writes stays within what `verify` reads (CSVReader.recordLimit).
    guard columns.count <= Self.columnLimit else {
      throw .invalidProfile(file: file, key: "columns", reason: "must hold at most \(Self.columnLimit) columns")
    }
    for (i, column) in columns.enumerated() {
      let key = "columns[\(i)].value"
      guard let valueName = column.value else { throw .invalidProfile(file: file, key: key, reason: "is missing") }
      guard let value = Value(rawValue: valueName) else {
        if let renamed = renamedValues[valueName] {
          throw .invalidProfile(
            file: file, key: key,
            reason:
              "\"\(valueName)\" is now \"\(renamed)\" (the transaction's whole balance impact, not its movement in the period)"
          )
        }
        throw .invalidProfile(
          file: file, key: key,
          reason:
            "names no column value: \"\(valueName)\" (values: \(Value.allCases.map(\.rawValue).joined(separator: ", ")))"
        )
      }
      let header = column.header ?? valueName
      guard header.utf8.count <= Self.headerLimit else {
        throw .invalidProfile(
          file: file, key: "columns[\(i)].header", reason: "must be at most \(Self.headerLimit) bytes long")
      }
      profile.columns.append(Column(header: header, value: value))
    }
    if profile.thousandsSeparator == profile.decimalMark {
      throw .invalidProfile(file: file, key: "thousands_separator", reason: "must differ from the decimal mark")
    }
    if profile.delimiter == profile.decimalMark || profile.delimiter == profile.thousandsSeparator {
      // Legal CSV (such cells are quoted), but no importer reads it as intended.
      throw .invalidProfile(
        file: file, key: "delimiter", reason: "must differ from the decimal mark and the thousands separator")
    }
    return profile
  }

  /// `columns[2].value` from a decoding context.
  private static func path(_ context: DecodingError.Context) -> String {
    var text = ""
    for key in context.codingPath {
      if let index = key.intValue {
        text += "[\(index)]"
      } else {
        text += (text.isEmpty ? "" : ".") + key.stringValue
      }
    }
    return text
  }

  private static func kind(_ type: Any.Type) -> String {
    if type == Bool.self { return "true or false" }
    if type == String.self { return "a string" }
    return "a list or object as documented"
  }

  private static func describe(_ error: Error) -> String {
    let text = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
    return text ?? error.localizedDescription
  }
}
