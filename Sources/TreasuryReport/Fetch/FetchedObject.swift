import Foundation

/// One Stripe object as fetched: the API's own bytes (compact, one line) and the few fields the fetcher needs.
public struct FetchedObject: Sendable {
  public var id: String
  /// `treasury.transaction`, `treasury.transaction_entry`, `treasury.financial_account`, `account`.
  public var object: String
  public var created: Int64
  /// Transactions: `open`, `posted` or `void`.
  public var status: String?
  /// Transactions: `status_transitions.posted_at` or `void_at`, whichever is set.
  public var settledAt: Int64?
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
    let value: Any
    do {
      value = try JSONSerialization.jsonObject(with: Data(line), options: [.fragmentsAllowed])
    } catch {
      return .failure(FetchedObjectProblem("not valid JSON"))
    }
    guard let dict = value as? [String: Any] else { return .failure(FetchedObjectProblem("not a JSON object")) }
    return parse(dict, line: line, expecting: type)
  }

  static func parse(_ dict: [String: Any], line: [UInt8], expecting type: String) -> Result<
    FetchedObject, FetchedObjectProblem
  > {
    guard let object = dict["object"] as? String else {
      return .failure(FetchedObjectProblem("an object without 'object'"))
    }
    guard object == type else {
      return .failure(FetchedObjectProblem("a '\(object)' object where '\(type)' was expected"))
    }
    guard let id = dict["id"] as? String, isSafeID(id) else {
      return .failure(FetchedObjectProblem("a \(type) whose 'id' is missing or not letters, digits and underscores"))
    }
    var fetched = FetchedObject(
      id: id, object: object, created: Self.integer(dict["created"]) ?? 0, line: line)
    fetched.status = dict["status"] as? String
    if let transitions = dict["status_transitions"] as? [String: Any] {
      fetched.settledAt = integer(transitions["posted_at"]) ?? integer(transitions["void_at"])
    }
    if let t = dict["transaction"] as? String {
      fetched.transaction = t
    } else if let t = dict["transaction"] as? [String: Any] {
      fetched.transaction = t["id"] as? String
    }
    fetched.financialAccount = dict["financial_account"] as? String
    fetched.currency = dict["currency"] as? String
    fetched.amount = integer(dict["amount"])
    if let impact = dict["balance_impact"] as? [String: Any] { fetched.impact = subBalances(impact) }
    if let balance = dict["balance"] as? [String: Any] {
      var byCurrency: [String: SubBalances] = [:]
      for (part, value) in balance {
        guard let amounts = value as? [String: Any] else { continue }
        for (currency, amount) in amounts {
          var b = byCurrency[currency, default: .zero]
          let v = integer(amount) ?? 0
          switch part {
          case "cash": b.cash = v
          case "inbound_pending": b.inboundPending = v
          case "outbound_pending": b.outboundPending = v
          default: continue
          }
          byCurrency[currency] = b
        }
      }
      fetched.balance = byCurrency
    }
    return .success(fetched)
  }

  /// Ids become file names in the run folder: only `prefix_` letters, digits and underscores are accepted.
  public static func isSafeID(_ id: String) -> Bool {
    guard !id.isEmpty, id.utf8.count <= 255 else { return false }
    return id.utf8.allSatisfy { c in
      (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
        || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "_")
    }
  }

  private static func subBalances(_ dict: [String: Any]) -> SubBalances {
    SubBalances(
      cash: integer(dict["cash"]) ?? 0, inboundPending: integer(dict["inbound_pending"]) ?? 0,
      outboundPending: integer(dict["outbound_pending"]) ?? 0)
  }

  static func integer(_ value: Any?) -> Int64? {
    if let n = value as? Int64 { return n }
    if let n = value as? Int { return Int64(n) }
    return nil
  }
}

/// What is wrong with an object the API sent.
public struct FetchedObjectProblem: Error, Sendable {
  public var reason: String
  init(_ reason: String) { self.reason = reason }
}
