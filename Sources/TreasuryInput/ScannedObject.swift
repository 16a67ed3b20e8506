/// The known fields of one Stripe object as found in the text, before any validation.
///
/// Strings are spans into the scanned text (or the scanner's scratch buffer);
/// a field the text lacks is nil. A value of the wrong kind is not stored: the
/// first such problem is kept in `problem` and reported only if the object
/// turns out to be one the tool reads.
package struct ScannedObject {
  package enum Role: Equatable {
    /// A value of its own: a line, or an element of a top-level array.
    case top
    /// An element of some object's `data` array.
    case listItem
    /// The value of a transaction's `entries` (a list object).
    case entriesList
    /// The expanded value of an entry's `transaction`.
    case expandedTransaction
  }

  package var role: Role
  /// Index of the enclosing object in the scanner's `objects`, or -1.
  package var parent: Int
  package var line: Int
  /// Byte offsets of the object's text.
  package var start: Int
  package var end: Int = 0

  package var object: StringSpan?
  package var id: StringSpan?
  package var amount: Int64?
  package var created: Int64?
  package var currency: StringSpan?
  package var description: StringSpan?
  package var hasDescription = false
  package var financialAccount: StringSpan?
  package var flow: StringSpan?
  package var flowType: StringSpan?
  package var livemode: Bool?
  package var status: StringSpan?
  package var effectiveAt: Int64?
  package var type: StringSpan?

  package var hasImpact = false
  package var impactCash: Int64?
  package var impactInboundPending: Int64?
  package var impactOutboundPending: Int64?

  package var hasTransitions = false
  package var postedAt: Int64?
  package var voidAt: Int64?

  /// The entry's `transaction` when it is a string id.
  package var transaction: StringSpan?
  /// Index of the expanded transaction object, or -1.
  package var transactionChild = -1
  /// Index of the `entries` list object, or -1.
  package var entriesChild = -1
  package var hasData = false
  /// A list page's `has_more`; nil when absent or not a boolean (a list is read the same either way).
  package var hasMore: Bool?
  /// A `data` element that is not an object (rejected on its own, not with its list).
  package var notAnObject = false

  package var holderName: StringSpan?
  package var accountNumberLast4: StringSpan?
  package var bankName: StringSpan?
  package var routingNumber: StringSpan?
  package var businessName: StringSpan?
  /// Range of this object's items in the scanner's `balanceItems`.
  package var balanceItems: Range<Int> = 0..<0

  /// The first field of the wrong kind; plain data, so that copying an object is a memcpy.
  package var problem: FieldProblem?

  package init(role: Role, parent: Int, line: Int, start: Int) {
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
package struct FieldProblem: Sendable {
  package enum Kind: Sendable, Equatable {
    case wrongKind, outOfRange
    /// JSON leaves open which of two values for one name counts: never guess.
    case repeated
  }

  package var field: StaticString
  package var expected: StaticString
  /// Byte offsets of the value found, in the scanned text.
  package var foundStart: Int
  package var foundEnd: Int
  package var kind: Kind

  package func message(in s: JSONScanner) -> String {
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
package struct BalanceItem {
  package enum Part: UInt8 {
    case cash, inboundPending, outboundPending

    var name: String {
      switch self {
      case .cash: return "cash"
      case .inboundPending: return "inbound_pending"
      case .outboundPending: return "outbound_pending"
      }
    }
  }
  package var part: Part
  package var currency: StringSpan
  package var value: Int64
}
