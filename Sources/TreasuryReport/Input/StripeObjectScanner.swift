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
public struct StripeObjectScanner {
  public private(set) var objects: [ScannedObject] = []
  public private(set) var balanceItems: [BalanceItem] = []

  public init() {
    objects.reserveCapacity(128)
  }

  /// Scans one value at the scanner's position.
  public mutating func scan(_ s: inout JSONScanner) throws(JSONSyntaxError) {
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
    let index = objects.count
    objects.append(ScannedObject(role: role, parent: parent, line: s.line, start: s.position))
    if try s.beginObject() {
      objects[index].end = s.position
      return index
    }
    repeat {
      let key = try s.readKey()
      let field = s.withBytes(key) { TopField(key: $0) }
      switch field {
      case .id: objects[index].id = try string(&s, index, "id")
      case .object: objects[index].object = try string(&s, index, "object")
      case .amount: objects[index].amount = try integer(&s, index, "amount", Expect.minorUnits)
      case .created: objects[index].created = try integer(&s, index, "created", Expect.timestamp)
      case .currency: objects[index].currency = try string(&s, index, "currency")
      case .description:
        objects[index].hasDescription = true
        if try !s.readNullIfPresent() {
          objects[index].description = try string(&s, index, "description")
        }
      case .financialAccount:
        objects[index].financialAccount = try string(&s, index, "financial_account")
      case .flow:
        if try !s.readNullIfPresent() { objects[index].flow = try string(&s, index, "flow") }
      case .flowType: objects[index].flowType = try string(&s, index, "flow_type")
      case .livemode:
        if let value = try s.readBool() {
          objects[index].livemode = value
        } else {
          try wrongKind(&s, index, "livemode", "true or false")
        }
      case .status: objects[index].status = try string(&s, index, "status")
      case .effectiveAt:
        objects[index].effectiveAt = try integer(&s, index, "effective_at", Expect.timestamp)
      case .type: objects[index].type = try string(&s, index, "type")
      case .balanceImpact: try scanImpact(&s, index)
      case .statusTransitions: try scanTransitions(&s, index)
      case .transaction:
        if s.peek() == UInt8(ascii: "{") {
          objects[index].transactionChild = try scanObject(
            &s, role: .expandedTransaction, parent: index, depth: depth + 1)
        } else {
          objects[index].transaction = try string(&s, index, "transaction")
        }
      case .entries:
        if try s.readNullIfPresent() { break }
        if s.peek() == UInt8(ascii: "{") {
          objects[index].entriesChild = try scanObject(
            &s, role: .entriesList, parent: index, depth: depth + 1)
        } else {
          try wrongKind(&s, index, "entries", "a list object or null")
        }
      case .data:
        guard s.peek() == UInt8(ascii: "[") else {
          try wrongKind(&s, index, "data", "an array of objects")
          break
        }
        objects[index].hasData = true
        if try s.beginArray() { break }
        repeat {
          if s.peek() == UInt8(ascii: "{") {
            _ = try scanObject(&s, role: .listItem, parent: index, depth: depth + 2)
          } else {
            try wrongKind(&s, index, "data", "an array of objects")
          }
        } while try s.nextElement()
      case .balance: try scanBalance(&s, index, depth: depth)
      case .financialAddresses: try scanAddresses(&s, index, depth: depth)
      case .businessProfile: try scanBusinessProfile(&s, index, depth: depth)
      case .unknown: try s.skipValue(depth: depth + 1)
      }
    } while try s.nextMember()
    objects[index].end = s.position
    return index
  }

  // MARK: Nested objects of known shape

  private mutating func scanImpact(_ s: inout JSONScanner, _ index: Int) throws(JSONSyntaxError) {
    guard s.peek() == UInt8(ascii: "{") else {
      return try wrongKind(&s, index, "balance_impact", "an object")
    }
    objects[index].hasImpact = true
    if try s.beginObject() { return }
    repeat {
      let key = try s.readKey()
      switch s.withBytes(key, SubBalanceField.init) {
      case .cash:
        objects[index].impactCash = try integer(&s, index, "balance_impact.cash", Expect.minorUnits)
      case .inboundPending:
        objects[index].impactInboundPending = try integer(
          &s, index, "balance_impact.inbound_pending", Expect.minorUnits)
      case .outboundPending:
        objects[index].impactOutboundPending = try integer(
          &s, index, "balance_impact.outbound_pending", Expect.minorUnits)
      case .unknown: try s.skipValue(depth: 2)
      }
    } while try s.nextMember()
  }

  private mutating func scanTransitions(_ s: inout JSONScanner, _ index: Int) throws(JSONSyntaxError) {
    guard s.peek() == UInt8(ascii: "{") else {
      return try wrongKind(&s, index, "status_transitions", "an object")
    }
    objects[index].hasTransitions = true
    if try s.beginObject() { return }
    repeat {
      let key = try s.readKey()
      let which = s.withBytes(key) { bytes -> Int in
        if Self.equal(bytes, "posted_at") { return 1 }
        if Self.equal(bytes, "void_at") { return 2 }
        return 0
      }
      switch which {
      case 1:
        if try !s.readNullIfPresent() {
          objects[index].postedAt = try integer(
            &s, index, "status_transitions.posted_at", Expect.timestamp)
        }
      case 2:
        if try !s.readNullIfPresent() {
          objects[index].voidAt = try integer(&s, index, "status_transitions.void_at", Expect.timestamp)
        }
      default: try s.skipValue(depth: 2)
      }
    } while try s.nextMember()
  }

  /// `balance`: {cash: {usd: 123}, inbound_pending: {…}, outbound_pending: {…}}.
  private mutating func scanBalance(_ s: inout JSONScanner, _ index: Int, depth: Int) throws(JSONSyntaxError) {
    guard s.peek() == UInt8(ascii: "{") else { return try wrongKind(&s, index, "balance", "an object") }
    let first = balanceItems.count
    defer { objects[index].balanceItems = first..<balanceItems.count }
    if try s.beginObject() { return }
    repeat {
      let key = try s.readKey()
      let part: BalanceItem.Part
      switch s.withBytes(key, SubBalanceField.init) {
      case .cash: part = .cash
      case .inboundPending: part = .inboundPending
      case .outboundPending: part = .outboundPending
      case .unknown:
        try s.skipValue(depth: depth + 2)
        continue
      }
      guard s.peek() == UInt8(ascii: "{") else {
        try wrongKind(&s, index, "balance", "an object of currency amounts")
        continue
      }
      if try s.beginObject() { continue }
      repeat {
        let currency = try s.readKey()
        if let value = try integer(&s, index, "balance", Expect.minorUnits) {
          balanceItems.append(BalanceItem(part: part, currency: currency, value: value))
        }
      } while try s.nextMember()
    } while try s.nextMember()
  }

  /// `financial_addresses`: [{type: "aba", aba: {account_holder_name, …}}].
  private mutating func scanAddresses(_ s: inout JSONScanner, _ index: Int, depth: Int) throws(JSONSyntaxError) {
    guard s.peek() == UInt8(ascii: "[") else {
      return try wrongKind(&s, index, "financial_addresses", "an array")
    }
    if try s.beginArray() { return }
    repeat {
      guard s.peek() == UInt8(ascii: "{") else {
        try wrongKind(&s, index, "financial_addresses", "an array of objects")
        continue
      }
      if try s.beginObject() { continue }
      repeat {
        let key = try s.readKey()
        guard s.withBytes(key, { Self.equal($0, "aba") }), s.peek() == UInt8(ascii: "{") else {
          try s.skipValue(depth: depth + 3)
          continue
        }
        if try s.beginObject() { continue }
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
          let value = try s.readString()
          switch which {
          case 1: objects[index].holderName = value
          case 2: objects[index].accountNumberLast4 = value
          case 3: objects[index].bankName = value
          default: objects[index].routingNumber = value
          }
        } while try s.nextMember()
      } while try s.nextMember()
    } while try s.nextElement()
  }

  /// `business_profile.name` of a connected account.
  private mutating func scanBusinessProfile(_ s: inout JSONScanner, _ index: Int, depth: Int) throws(JSONSyntaxError) {
    guard s.peek() == UInt8(ascii: "{") else { return try s.skipValue(depth: depth + 1) }
    if try s.beginObject() { return }
    repeat {
      let key = try s.readKey()
      if s.withBytes(key, { Self.equal($0, "name") }) && s.peek() == UInt8(ascii: "\"") {
        objects[index].businessName = try s.readString()
      } else {
        try s.skipValue(depth: depth + 2)
      }
    } while try s.nextMember()
  }

  // MARK: Values

  private enum Expect {
    static let minorUnits = "an integer number of minor units"
    static let timestamp = "an integer Unix timestamp"
  }

  @inline(__always)
  private mutating func string(_ s: inout JSONScanner, _ index: Int, _ field: StaticString) throws(JSONSyntaxError)
    -> StringSpan?
  {
    if s.peek() == UInt8(ascii: "\"") { return try s.readString() }
    try wrongKind(&s, index, "\(field)", "a string")
    return nil
  }

  @inline(__always)
  private mutating func integer(
    _ s: inout JSONScanner, _ index: Int, _ field: StaticString, _ expected: String
  ) throws(JSONSyntaxError) -> Int64? {
    let c = s.peek()
    guard c == UInt8(ascii: "-") || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) else {
      try wrongKind(&s, index, "\(field)", expected)
      return nil
    }
    switch try s.readInteger() {
    case .integer(let value):
      return value
    case .notInteger(let start, let end):
      note(
        index,
        FieldProblem(field: "\(field)", expected: expected, found: s.text(from: start, to: end), outOfRange: false))
    case .outOfRange(let start, let end):
      note(
        index,
        FieldProblem(field: "\(field)", expected: expected, found: s.text(from: start, to: end), outOfRange: true))
    }
    return nil
  }

  /// Skips a value of the wrong kind, remembering it as the object's problem.
  private mutating func wrongKind(
    _ s: inout JSONScanner, _ index: Int, _ field: String, _ expected: String
  ) throws(JSONSyntaxError) {
    let start = s.position
    try s.skipValue(depth: 1)
    var found = s.text(from: start, to: s.position)
    if found.count > 40 { found = String(found.prefix(37)) + "..." }
    note(index, FieldProblem(field: field, expected: expected, found: found, outOfRange: false))
  }

  private mutating func note(_ index: Int, _ problem: FieldProblem) {
    if objects[index].problem == nil { objects[index].problem = problem }
  }

  @inline(__always)
  static func equal(_ bytes: UnsafeRawBufferPointer, _ name: StaticString) -> Bool {
    bytes.count == name.utf8CodeUnitCount && memcmp(bytes.baseAddress!, name.utf8Start, bytes.count) == 0
  }
}

/// The member names the scanner reads at an object's top level.
enum TopField {
  case id, object, amount, created, currency, description, financialAccount, flow, flowType
  case livemode, status, effectiveAt, type, balanceImpact, statusTransitions, transaction
  case entries, data, balance, financialAddresses, businessProfile, unknown

  @inline(__always)
  init(key: UnsafeRawBufferPointer) {
    let eq = StripeObjectScanner.equal
    switch key.count {
    case 2: self = eq(key, "id") ? .id : .unknown
    case 4:
      if eq(key, "type") {
        self = .type
      } else if eq(key, "flow") {
        self = .flow
      } else if eq(key, "data") {
        self = .data
      } else {
        self = .unknown
      }
    case 6:
      if eq(key, "object") {
        self = .object
      } else if eq(key, "amount") {
        self = .amount
      } else if eq(key, "status") {
        self = .status
      } else {
        self = .unknown
      }
    case 7:
      if eq(key, "created") {
        self = .created
      } else if eq(key, "entries") {
        self = .entries
      } else if eq(key, "balance") {
        self = .balance
      } else {
        self = .unknown
      }
    case 8:
      if eq(key, "currency") {
        self = .currency
      } else if eq(key, "livemode") {
        self = .livemode
      } else {
        self = .unknown
      }
    case 9: self = eq(key, "flow_type") ? .flowType : .unknown
    case 11:
      if eq(key, "description") {
        self = .description
      } else if eq(key, "transaction") {
        self = .transaction
      } else {
        self = .unknown
      }
    case 12: self = eq(key, "effective_at") ? .effectiveAt : .unknown
    case 14: self = eq(key, "balance_impact") ? .balanceImpact : .unknown
    case 16: self = eq(key, "business_profile") ? .businessProfile : .unknown
    case 17: self = eq(key, "financial_account") ? .financialAccount : .unknown
    case 18: self = eq(key, "status_transitions") ? .statusTransitions : .unknown
    case 19: self = eq(key, "financial_addresses") ? .financialAddresses : .unknown
    default: self = .unknown
    }
  }
}

/// The member names of a `balance_impact` or a `balance`.
enum SubBalanceField {
  case cash, inboundPending, outboundPending, unknown

  @inline(__always)
  init(key: UnsafeRawBufferPointer) {
    let eq = StripeObjectScanner.equal
    if eq(key, "cash") {
      self = .cash
    } else if eq(key, "inbound_pending") {
      self = .inboundPending
    } else if eq(key, "outbound_pending") {
      self = .outboundPending
    } else {
      self = .unknown
    }
  }
}
