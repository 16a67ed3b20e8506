/// One Stripe object as fetched: the API's own bytes (compact, one line) and the few fields the fetcher needs.
public struct FetchedObject: Sendable {
  public var id: String
  public var created: Int64
  /// Transactions: `open`, `posted` or `void`.
  public var status: String?
  /// Entries: the transaction they belong to.
  public var transaction: String?
  public var financialAccount: String?
  public var currency: String?
  /// Transactions and entries.
  public var impact: SubBalances?
  /// Transactions.
  public var amount: Int64?
  /// Financial accounts: the reported balance per currency.
  public var balance: [String: SubBalances]?
  /// The object as one line of compact JSON, without the newline.
  public var line: [UInt8]

  /// True when the transaction can no longer change (`posted` or `void`).
  public var isSettled: Bool { status == "posted" || status == "void" }

  /// Reads an object from its compact JSON bytes; the reason says what is wrong when it cannot.
  public static func parse(_ line: [UInt8], expecting type: String) -> Result<FetchedObject, FetchedObjectProblem> {
    var reader = FetchedObjectReader()
    return line.withUnsafeBytes { reader.object($0, expecting: type) }
  }

  /// Ids become file names in the run folder: only `prefix_` letters, digits and underscores are accepted.
  public static func isSafeID(_ id: String) -> Bool {
    guard !id.isEmpty, id.utf8.count <= 255 else { return false }
    return id.utf8.allSatisfy { c in
      (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
        || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "_")
    }
  }
}

/// What is wrong with an object the API sent.
public struct FetchedObjectProblem: Error, Sendable {
  public var reason: String
  init(_ reason: String) { self.reason = reason }
}
