#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Finds the fields the tool needs in one JSON value: a Stripe object, a list page, or an array of them.
///
/// Nested objects the tool reads (list items, a transaction's expanded
/// `entries`, an entry's expanded `transaction`) become further `objects`
/// with a `parent`. Everything else is skipped with its syntax still checked.
package struct StripeObjectScanner {
  package private(set) var objects: [ScannedObject] = []
  package private(set) var balanceItems: [BalanceItem] = []
  /// Member names guessed per member position, one table per kind of object
  /// (top level, list items, other nested objects, balance impacts, status transitions):
  /// objects in a dump repeat their member order, so most names are one compare.
  private let guesses = KeyGuessTable(tables: 5, positions: 32)

  /// Objects (and balance amounts) one value may hold: a list page holds at most 100 objects, each with perhaps
  /// a hundred expanded entries, while a 64 MiB line of `{}` would otherwise become 21 million objects in memory.
  package static let maximumObjects = 100_000

  package init() {
    objects.reserveCapacity(128)
  }

  /// Scans one value at the scanner's position.
  package mutating func scan(_ s: inout JSONScanner) throws(JSONSyntaxError) {
    objects.removeAll(keepingCapacity: true)
    balanceItems.removeAll(keepingCapacity: true)
    s.scratch.removeAll(keepingCapacity: true)
    switch s.peek() {
    case UInt8(ascii: "{"):
      _ = try scanObject(&s, role: .top, parent: -1, depth: 0)
    case UInt8(ascii: "["):
      if try s.beginArray() { return }
      repeat {
        guard s.peek() == UInt8(ascii: "{") else {
          throw s.fail("expected a Stripe object or list page ('{') in the array")
        }
        _ = try scanObject(&s, role: .top, parent: -1, depth: 1)
      } while try s.nextElement()
    default:
      throw s.fail("expected a Stripe object or list page ('{')")
    }
  }

  private mutating func scanObject(
    _ s: inout JSONScanner, role: ScannedObject.Role, parent: Int, depth: Int
  ) throws(JSONSyntaxError) -> Int {
    guard depth < JSONScanner.maximumDepth else {
      throw s.fail("values are nested more than \(JSONScanner.maximumDepth) deep")
    }
    guard objects.count < Self.maximumObjects else { throw Self.tooMany(at: s.position) }
    // The object is built in a local and stored once at the end. Its index is
    // fixed now; if a child (list item, expansion) comes first, a placeholder
    // holds the place so that the child's index follows it.
    let index = objects.count
    var o = ScannedObject(role: role, parent: parent, line: s.line, start: s.position)
    var placed = false
    if try s.beginObject() {
      o.end = s.position
      objects.append(o)
      return index
    }
    let table = role == .top ? 0 : (role == .listItem ? 1 : 2)
    var member = 0
    // The names read so far, one bit per field: a second value for a name the tool reads would be taken silently.
    var seen: UInt32 = 0
    repeat {
      let field: TopField
      if member < guesses.positions {
        field = try TopField(s.readKeyWords(guess: guesses.slot(table, member)))
      } else {
        field = try TopField(s.readKeyWords())
      }
      member += 1
      if field != .unknown {
        let bit = UInt32(1) << field.rawValue
        if seen & bit != 0 { repeated(&o, field.name, at: s.position) }
        seen |= bit
      }
      if !placed && (field == .data || ((field == .transaction || field == .entries) && s.peek() == UInt8(ascii: "{")))
      {
        objects.append(o)
        placed = true
      }
      switch field {
      case .id: o.id = try string(&s, &o, "id")
      case .object: o.object = try string(&s, &o, "object")
      case .amount: o.amount = try integer(&s, &o, "amount", Expect.minorUnits)
      case .created: o.created = try integer(&s, &o, "created", Expect.timestamp)
      case .currency: o.currency = try string(&s, &o, "currency")
      case .description:
        o.hasDescription = true
        if try !s.readNullIfPresent() { o.description = try string(&s, &o, "description") }
      case .financialAccount: o.financialAccount = try string(&s, &o, "financial_account")
      case .flow:
        if try !s.readNullIfPresent() { o.flow = try string(&s, &o, "flow") }
      case .flowType: o.flowType = try string(&s, &o, "flow_type")
      case .livemode:
        if let value = try s.readBool() {
          o.livemode = value
        } else {
          try wrongKind(&s, &o, "livemode", "true or false")
        }
      case .status: o.status = try string(&s, &o, "status")
      case .effectiveAt: o.effectiveAt = try integer(&s, &o, "effective_at", Expect.timestamp)
      case .type: o.type = try string(&s, &o, "type")
      case .balanceImpact: try scanImpact(&s, &o)
      case .statusTransitions: try scanTransitions(&s, &o)
      case .transaction:
        if s.peek() == UInt8(ascii: "{") {
          o.transactionChild = try scanObject(&s, role: .expandedTransaction, parent: index, depth: depth + 1)
        } else {
          o.transaction = try string(&s, &o, "transaction")
        }
      case .entries:
        if try s.readNullIfPresent() { break }
        if s.peek() == UInt8(ascii: "{") {
          o.entriesChild = try scanObject(&s, role: .entriesList, parent: index, depth: depth + 1)
        } else {
          try wrongKind(&s, &o, "entries", "a list object or null")
        }
      case .data:
        guard s.peek() == UInt8(ascii: "[") else {
          try wrongKind(&s, &o, "data", "an array of objects")
          break
        }
        o.hasData = true
        if try s.beginArray() { break }
        repeat {
          if s.peek() == UInt8(ascii: "{") {
            _ = try scanObject(&s, role: .listItem, parent: index, depth: depth + 2)
          } else {
            // Kept as an item of its own, so that only it is rejected.
            var item = ScannedObject(role: .listItem, parent: index, line: s.line, start: s.position)
            item.notAnObject = true
            try wrongKind(&s, &item, "data", "an array of Stripe objects")
            item.end = s.position
            objects.append(item)
          }
        } while try s.nextElement()
      case .hasMore:
        // Only fetch needs it (to page on); statements reads a page the same whatever it holds.
        if let value = try s.readBool() { o.hasMore = value } else { try s.skipValue(depth: depth + 1) }
      case .balance: try scanBalance(&s, &o, depth: depth)
      case .financialAddresses: try scanAddresses(&s, &o, depth: depth)
      case .businessProfile: try scanBusinessProfile(&s, &o, depth: depth)
      case .unknown: try s.skipValue(depth: depth + 1)
      }
    } while try s.nextMember()
    o.end = s.position
    if placed { objects[index] = o } else { objects.append(o) }
    return index
  }

  // MARK: Nested objects of known shape

  private mutating func scanImpact(_ s: inout JSONScanner, _ o: inout ScannedObject) throws(JSONSyntaxError) {
    guard s.peek() == UInt8(ascii: "{") else {
      return try wrongKind(&s, &o, "balance_impact", "an object")
    }
    o.hasImpact = true
    if try s.beginObject() { return }
    var member = 0
    var seen: UInt8 = 0
    repeat {
      let key = member < guesses.positions ? try s.readKeyWords(guess: guesses.slot(3, member)) : try s.readKeyWords()
      member += 1
      let field = SubBalanceField(key)
      if field != .unknown {
        if seen & field.bit != 0 { repeated(&o, field.impactName, at: s.position) }
        seen |= field.bit
      }
      switch field {
      case .cash:
        o.impactCash = try integer(&s, &o, "balance_impact.cash", Expect.minorUnits)
      case .inboundPending:
        o.impactInboundPending = try integer(&s, &o, "balance_impact.inbound_pending", Expect.minorUnits)
      case .outboundPending:
        o.impactOutboundPending = try integer(&s, &o, "balance_impact.outbound_pending", Expect.minorUnits)
      case .unknown: try s.skipValue(depth: 2)
      }
    } while try s.nextMember()
  }

  private mutating func scanTransitions(_ s: inout JSONScanner, _ o: inout ScannedObject) throws(JSONSyntaxError) {
    guard s.peek() == UInt8(ascii: "{") else {
      return try wrongKind(&s, &o, "status_transitions", "an object")
    }
    o.hasTransitions = true
    if try s.beginObject() { return }
    var member = 0
    var seen: UInt8 = 0
    repeat {
      let key = member < guesses.positions ? try s.readKeyWords(guess: guesses.slot(4, member)) : try s.readKeyWords()
      member += 1
      let field = TransitionField(key)
      if field != .unknown {
        let bit: UInt8 = field == .postedAt ? 1 : 2
        if seen & bit != 0 {
          repeated(
            &o, field == .postedAt ? "status_transitions.posted_at" : "status_transitions.void_at", at: s.position)
        }
        seen |= bit
      }
      switch field {
      case .postedAt:
        if try !s.readNullIfPresent() {
          o.postedAt = try integer(&s, &o, "status_transitions.posted_at", Expect.timestamp)
        }
      case .voidAt:
        if try !s.readNullIfPresent() {
          o.voidAt = try integer(&s, &o, "status_transitions.void_at", Expect.timestamp)
        }
      case .unknown: try s.skipValue(depth: 2)
      }
    } while try s.nextMember()
  }

  /// `balance`: {cash: {usd: 123}, inbound_pending: {…}, outbound_pending: {…}}.
  private mutating func scanBalance(
    _ s: inout JSONScanner, _ o: inout ScannedObject, depth: Int
  ) throws(JSONSyntaxError) {
    guard s.peek() == UInt8(ascii: "{") else { return try wrongKind(&s, &o, "balance", "an object") }
    let first = balanceItems.count
    defer { o.balanceItems = first..<balanceItems.count }
    if try s.beginObject() { return }
    var seen: UInt8 = 0
    repeat {
      let part: BalanceItem.Part
      let field = try SubBalanceField(s.readKeyWords())
      switch field {
      case .cash: part = .cash
      case .inboundPending: part = .inboundPending
      case .outboundPending: part = .outboundPending
      case .unknown:
        try s.skipValue(depth: depth + 2)
        continue
      }
      // Repeated currencies within a part are found by the decoder, which sees them all.
      if seen & field.bit != 0 { repeated(&o, field.balanceName, at: s.position) }
      seen |= field.bit
      guard s.peek() == UInt8(ascii: "{") else {
        try wrongKind(&s, &o, "balance", "an object of currency amounts")
        continue
      }
      if try s.beginObject() { continue }
      repeat {
        guard balanceItems.count < Self.maximumObjects else { throw Self.tooMany(at: s.position) }
        let currency = try s.readKey()
        if let value = try integer(&s, &o, "balance", Expect.minorUnits) {
          balanceItems.append(BalanceItem(part: part, currency: currency, value: value))
        }
      } while try s.nextMember()
    } while try s.nextMember()
  }

  /// `financial_addresses`: [{type: "aba", aba: {account_holder_name, …}}].
  private mutating func scanAddresses(
    _ s: inout JSONScanner, _ o: inout ScannedObject, depth: Int
  ) throws(JSONSyntaxError) {
    guard s.peek() == UInt8(ascii: "[") else {
      return try wrongKind(&s, &o, "financial_addresses", "an array")
    }
    if try s.beginArray() { return }
    repeat {
      guard s.peek() == UInt8(ascii: "{") else {
        try wrongKind(&s, &o, "financial_addresses", "an array of objects")
        continue
      }
      if try s.beginObject() { continue }
      var sawABA = false
      repeat {
        let key = try s.readKey()
        guard s.withBytes(key, { Self.equal($0, "aba") }), s.peek() == UInt8(ascii: "{") else {
          try s.skipValue(depth: depth + 3)
          continue
        }
        if sawABA { repeated(&o, "financial_addresses.aba", at: s.position) }
        sawABA = true
        if try s.beginObject() { continue }
        var seen: UInt8 = 0
        repeat {
          let name = try s.readKey()
          let which = s.withBytes(name) { bytes -> Int in
            if Self.equal(bytes, "account_holder_name") { return 1 }
            if Self.equal(bytes, "account_number_last4") { return 2 }
            if Self.equal(bytes, "bank_name") { return 3 }
            if Self.equal(bytes, "routing_number") { return 4 }
            return 0
          }
          if which == 0 || s.peek() != UInt8(ascii: "\"") {
            try s.skipValue(depth: depth + 4)
            continue
          }
          if seen & (1 << which) != 0 { repeated(&o, Self.addressNames[which], at: s.position) }
          seen |= 1 << which
          let value = try s.readString()
          switch which {
          case 1: o.holderName = value
          case 2: o.accountNumberLast4 = value
          case 3: o.bankName = value
          default: o.routingNumber = value
          }
        } while try s.nextMember()
      } while try s.nextMember()
    } while try s.nextElement()
  }

  static let addressNames: [StaticString] = [
    "", "financial_addresses.aba.account_holder_name", "financial_addresses.aba.account_number_last4",
    "financial_addresses.aba.bank_name", "financial_addresses.aba.routing_number",
  ]

  /// `business_profile.name` of a connected account.
  private mutating func scanBusinessProfile(
    _ s: inout JSONScanner, _ o: inout ScannedObject, depth: Int
  ) throws(JSONSyntaxError) {
    guard s.peek() == UInt8(ascii: "{") else { return try s.skipValue(depth: depth + 1) }
    if try s.beginObject() { return }
    repeat {
      let key = try s.readKey()
      if s.withBytes(key, { Self.equal($0, "name") }) && s.peek() == UInt8(ascii: "\"") {
        if o.businessName != nil { repeated(&o, "business_profile.name", at: s.position) }
        o.businessName = try s.readString()
      } else {
        try s.skipValue(depth: depth + 2)
      }
    } while try s.nextMember()
  }

  static func tooMany(at position: Int) -> JSONSyntaxError {
    JSONSyntaxError(
      message: "more than \(maximumObjects) objects or amounts in one value; a Stripe list page holds at most 100",
      offset: position)
  }

  // MARK: Values

  private enum Expect {
    static let minorUnits: StaticString = "an integer number of minor units"
    static let timestamp: StaticString = "an integer Unix timestamp"
  }

  @inline(__always)
  private func string(
    _ s: inout JSONScanner, _ o: inout ScannedObject, _ field: StaticString
  ) throws(JSONSyntaxError) -> StringSpan? {
    if s.peek() == UInt8(ascii: "\"") { return try s.readString() }
    try wrongKind(&s, &o, field, "a string")
    return nil
  }

  @inline(__always)
  private func integer(
    _ s: inout JSONScanner, _ o: inout ScannedObject, _ field: StaticString, _ expected: StaticString
  ) throws(JSONSyntaxError) -> Int64? {
    let c = s.peek()
    guard c == UInt8(ascii: "-") || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) else {
      try wrongKind(&s, &o, field, expected)
      return nil
    }
    switch try s.readInteger() {
    case .integer(let value):
      return value
    case .notInteger(let start, let end):
      note(&o, FieldProblem(field: field, expected: expected, foundStart: start, foundEnd: end, kind: .wrongKind))
    case .outOfRange(let start, let end):
      note(&o, FieldProblem(field: field, expected: expected, foundStart: start, foundEnd: end, kind: .outOfRange))
    }
    return nil
  }

  /// Skips a value of the wrong kind, remembering it as the object's problem.
  private func wrongKind(
    _ s: inout JSONScanner, _ o: inout ScannedObject, _ field: StaticString, _ expected: StaticString
  ) throws(JSONSyntaxError) {
    let start = s.position
    try s.skipValue(depth: 1)
    note(&o, FieldProblem(field: field, expected: expected, foundStart: start, foundEnd: s.position, kind: .wrongKind))
  }

  /// A member name the tool reads, found a second time in one object (`position`: where its second value starts).
  private func repeated(_ o: inout ScannedObject, _ field: StaticString, at position: Int) {
    note(&o, FieldProblem(field: field, expected: "", foundStart: position, foundEnd: position, kind: .repeated))
  }

  /// Keeps the first problem, except that a repeated name wins: it makes any object unusable, whatever its type.
  private func note(_ o: inout ScannedObject, _ problem: FieldProblem) {
    if o.problem == nil || (problem.kind == .repeated && o.problem?.kind != .repeated) { o.problem = problem }
  }

  @inline(__always)
  package static func equal(_ bytes: UnsafeRawBufferPointer, _ name: StaticString) -> Bool {
    bytes.count == name.utf8CodeUnitCount && memcmp(bytes.baseAddress!, name.utf8Start, bytes.count) == 0
  }
}

/// The member names the scanner reads at an object's top level (raw values: bits of a set of names).
enum TopField: UInt8, Equatable {
  case id, object, amount, created, currency, description, financialAccount, flow, flowType
  case livemode, status, effectiveAt, type, balanceImpact, statusTransitions, transaction
  case entries, data, hasMore, balance, financialAddresses, businessProfile, unknown

  @inline(__always)
  init(_ k: KeyWords) {
    switch (k.count, k.w0) {
    case (2, 0x6469): self = .id
    case (4, 0x6570_7974): self = .type
    case (4, 0x776F_6C66): self = .flow
    case (4, 0x6174_6164): self = .data
    case (6, 0x7463_656A_626F): self = .object
    case (6, 0x746E_756F_6D61): self = .amount
    case (6, 0x7375_7461_7473): self = .status
    case (7, 0x64_6574_6165_7263): self = .created
    case (7, 0x73_6569_7274_6E65): self = .entries
    case (7, 0x65_636E_616C_6162): self = .balance
    case (8, 0x7963_6E65_7272_7563): self = .currency
    case (8, 0x6564_6F6D_6576_696C): self = .livemode
    case (8, 0x6572_6F6D_5F73_6168): self = .hasMore
    case (9, 0x7079_745F_776F_6C66) where k.w1 == 0x6570_7974_5F77_6F6C: self = .flowType
    case (11, 0x7470_6972_6373_6564) where k.w1 == 0x6E6F_6974_7069_7263: self = .description
    case (11, 0x7463_6173_6E61_7274) where k.w1 == 0x6E6F_6974_6361_736E: self = .transaction
    case (12, 0x7669_7463_6566_6665) where k.w1 == 0x7461_5F65_7669_7463: self = .effectiveAt
    case (14, 0x5F65_636E_616C_6162) where k.w1 == 0x7463_6170_6D69_5F65: self = .balanceImpact
    case (16, 0x7373_656E_6973_7562) where k.w1 == 0x656C_6966_6F72_705F: self = .businessProfile
    case (17, 0x6169_636E_616E_6966) where k.w1 == 0x746E_756F_6363_615F && k.w2 == 0x6E75_6F63_6361_5F6C:
      self = .financialAccount
    case (18, 0x745F_7375_7461_7473) where k.w1 == 0x736E_6F69_7469_736E && k.w2 == 0x6F69_7469_736E_6172:
      self = .statusTransitions
    case (19, 0x6169_636E_616E_6966) where k.w1 == 0x7365_7373_6572_6464 && k.w2 == 0x7365_7264_6461_5F6C:
      self = .financialAddresses
    default: self = .unknown
    }
  }

  var name: StaticString {
    switch self {
    case .id: return "id"
    case .object: return "object"
    case .amount: return "amount"
    case .created: return "created"
    case .currency: return "currency"
    case .description: return "description"
    case .financialAccount: return "financial_account"
    case .flow: return "flow"
    case .flowType: return "flow_type"
    case .livemode: return "livemode"
    case .status: return "status"
    case .effectiveAt: return "effective_at"
    case .type: return "type"
    case .balanceImpact: return "balance_impact"
    case .statusTransitions: return "status_transitions"
    case .transaction: return "transaction"
    case .entries: return "entries"
    case .data: return "data"
    case .hasMore: return "has_more"
    case .balance: return "balance"
    case .financialAddresses: return "financial_addresses"
    case .businessProfile: return "business_profile"
    case .unknown: return "?"
    }
  }
}

/// The member names of a `balance_impact` or a `balance`.
enum SubBalanceField {
  case cash, inboundPending, outboundPending, unknown

  var bit: UInt8 {
    switch self {
    case .cash: return 1
    case .inboundPending: return 2
    case .outboundPending: return 4
    case .unknown: return 0
    }
  }

  var impactName: StaticString {
    switch self {
    case .cash: return "balance_impact.cash"
    case .inboundPending: return "balance_impact.inbound_pending"
    default: return "balance_impact.outbound_pending"
    }
  }

  var balanceName: StaticString {
    switch self {
    case .cash: return "balance.cash"
    case .inboundPending: return "balance.inbound_pending"
    default: return "balance.outbound_pending"
    }
  }

  @inline(__always)
  init(_ k: KeyWords) {
    switch (k.count, k.w0) {
    case (4, 0x6873_6163): self = .cash
    case (15, 0x5F64_6E75_6F62_6E69) where k.w1 == 0x676E_6964_6E65_705F: self = .inboundPending
    case (16, 0x646E_756F_6274_756F) where k.w1 == 0x676E_6964_6E65_705F: self = .outboundPending
    default: self = .unknown
    }
  }
}

/// The member names of `status_transitions`.
enum TransitionField {
  case postedAt, voidAt, unknown

  @inline(__always)
  init(_ k: KeyWords) {
    switch (k.count, k.w0) {
    case (9, 0x615F_6465_7473_6F70) where k.w1 == 0x7461_5F64_6574_736F: self = .postedAt
    case (7, 0x74_615F_6469_6F76): self = .voidAt
    default: self = .unknown
    }
  }
}

/// Fixed storage for the scanner's member-name guesses, reached through pointers (no copy-on-write checks).
final class KeyGuessTable {
  let positions: Int
  private let storage: UnsafeMutablePointer<KeyGuess>

  init(tables: Int, positions: Int) {
    self.positions = positions
    storage = .allocate(capacity: tables * positions)
    storage.initialize(repeating: KeyGuess(), count: tables * positions)
  }

  deinit { storage.deallocate() }

  @inline(__always)
  func slot(_ table: Int, _ position: Int) -> UnsafeMutablePointer<KeyGuess> {
    storage + table * positions + position
  }
}
