/// The known fields of one Stripe object as found in the text, before any validation.
///
/// Strings are spans into the scanned text (or the scanner's scratch buffer);
/// a field the text lacks is nil. A value of the wrong kind is not stored: the
/// first such problem is kept in `problem` and reported only if the object
/// turns out to be one the tool reads.
public struct ScannedObject {
  public enum Role: Equatable {
    /// A value of its own: a line, or an element of a top-level array.
    case top
    /// An element of some object's `data` array.
    case listItem
    /// The value of a transaction's `entries` (a list object).
    case entriesList
    /// The expanded value of an entry's `transaction`.
    case expandedTransaction
  }

  public var role: Role
  /// Index of the enclosing object in the scanner's `objects`, or -1.
  public var parent: Int
  public var line: Int
  /// Byte offsets of the object's text.
  public var start: Int
  public var end: Int = 0

  public var object: StringSpan?
  public var id: StringSpan?
  public var amount: Int64?
  public var created: Int64?
  public var currency: StringSpan?
  public var description: StringSpan?
  public var hasDescription = false
  public var financialAccount: StringSpan?
  public var flow: StringSpan?
  public var flowType: StringSpan?
  public var livemode: Bool?
  public var status: StringSpan?
  public var effectiveAt: Int64?
  public var type: StringSpan?

  public var hasImpact = false
  public var impactCash: Int64?
  public var impactInboundPending: Int64?
  public var impactOutboundPending: Int64?

  public var hasTransitions = false
  public var postedAt: Int64?
  public var voidAt: Int64?

  /// The entry's `transaction` when it is a string id.
  public var transaction: StringSpan?
  /// Index of the expanded transaction object, or -1.
  public var transactionChild = -1
  /// Index of the `entries` list object, or -1.
  public var entriesChild = -1
  public var hasData = false
  /// A list page's `has_more`; nil when absent or not a boolean (a list is read the same either way).
  public var hasMore: Bool?
  /// A `data` element that is not an object (rejected on its own, not with its list).
  public var notAnObject = false

  public var holderName: StringSpan?
  public var accountNumberLast4: StringSpan?
  public var bankName: StringSpan?
  public var routingNumber: StringSpan?
  public var businessName: StringSpan?
  /// Range of this object's items in the scanner's `balanceItems`.
  public var balanceItems: Range<Int> = 0..<0

  /// The first field of the wrong kind; plain data, so that copying an object is a memcpy.
  public var problem: FieldProblem?

  public init(role: Role, parent: Int, line: Int, start: Int) {
    self.role = role
    self.parent = parent
    self.line = line
    self.start = start
  }
}

/// A known field whose value is of the wrong kind or out of range, or whose name appears twice in one object.
///
/// Holds only static strings and offsets (no `String`), so that `ScannedObject`
/// stays plain data; the message is made when an object is rejected.
public struct FieldProblem: Sendable {
  public enum Kind: Sendable, Equatable {
    case wrongKind, outOfRange
    /// JSON leaves open which of two values for one name counts: never guess.
    case repeated
  }

  public var field: StaticString
  public var expected: StaticString
  /// Byte offsets of the value found, in the scanned text.
  public var foundStart: Int
  public var foundEnd: Int
  public var kind: Kind

  public func message(in s: JSONScanner) -> String {
    var found = s.text(from: foundStart, to: foundEnd)
    if found.count > 40 { found = String(found.prefix(37)) + "..." }
    switch kind {
    case .wrongKind: return "'\(field)' must be \(expected), found \(found)"
    case .outOfRange: return "'\(field)' is out of range: \(found) does not fit in 64 bits"
    case .repeated: return "'\(field)' appears more than once in the object"
    }
  }
}

/// One amount of a financial account's `balance`: sub-balance, currency, minor units.
public struct BalanceItem {
  public enum Part: UInt8 {
    case cash, inboundPending, outboundPending

    var name: String {
      switch self {
      case .cash: return "cash"
      case .inboundPending: return "inbound_pending"
      case .outboundPending: return "outbound_pending"
      }
    }
  }
  public var part: Part
  public var currency: StringSpan
  public var value: Int64
}
