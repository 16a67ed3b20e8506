@_spi(Inlining) import TreasuryModel

/// One Stripe object as fetched: the API's own bytes (compact, one line) and the few fields the fetcher needs.
package struct FetchedObject: Sendable {
  package var id: String
  package var created: Int64
  /// Transactions: `open`, `posted` or `void`.
  package var status: String?
  /// Entries: the transaction they belong to.
  package var transaction: String?
  package var financialAccount: String?
  package var currency: String?
  /// Transactions and entries.
  package var impact: SubBalances?
  /// Transactions.
  package var amount: Int64?
  /// Financial accounts: the reported balance per currency.
  package var balance: [String: SubBalances]?
  /// The object as one line of compact JSON, without the newline.
  package var line: [UInt8]

  /// True when the transaction can no longer change (`posted` or `void`).
  package var isSettled: Bool { status == "posted" || status == "void" }

  /// Reads an object from its compact JSON bytes; the reason says what is wrong when it cannot.
  package static func parse(_ line: [UInt8], expecting type: String) -> Result<FetchedObject, FetchedObjectProblem> {
    var reader = FetchedObjectReader()
    return line.withUnsafeBytes { reader.object($0, expecting: type) }
  }

  /// Ids become file names in the run folder: only `prefix_` letters, digits and underscores are accepted.
  package static func isSafeID(_ id: String) -> Bool {
    guard !id.isEmpty, id.utf8.count <= 255 else { return false }
    return id.utf8.allSatisfy { c in
      (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
        || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "_")
    }
  }
}
