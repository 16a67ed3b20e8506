/// The state of a treasury.transaction: `open` → `posted` or `open` → `void`.
package enum TransactionStatus: UInt8, Sendable, Comparable {
  case open = 0
  case posted = 1
  case void = 2

  /// How far along the state machine a copy is; a later copy of a
  /// transaction replaces an earlier one only when its rank is higher.
  package var rank: Int { self == .open ? 0 : 1 }

  package var name: String {
    switch self {
    case .open: return "open"
    case .posted: return "posted"
    case .void: return "void"
    }
  }

  package static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}
