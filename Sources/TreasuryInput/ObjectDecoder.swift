@_spi(Inlining) import TreasuryModel

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Turns scanned objects into validated records for an `ObjectSink`.
///
/// Unknown enum values of open sets (`flow_type`, entry `type`) pass through
/// unchanged; closed sets (`status`) and required fields are enforced.
package struct ObjectDecoder {
  /// Whether descriptions, flows and types are kept (statement lines need
  /// them; a summary-only run does not).
  package var keepsText: Bool
  /// What each object of the current value turned out to be (reused between values).
  private var kinds: [Kind] = []
  /// The last financial account and currency interned: nearly every object
  /// repeats them, so a byte compare replaces hashing (and the id check).
  /// A decoder serves one sink, whose symbols these are.
  private var recentAccount = RecentSymbol()
  private var recentCurrency = RecentSymbol()

  /// Timestamps outside [1970, 9000) cannot be real; the margin keeps every
  /// period end (a year later at most) within four-digit years.
  static let timeRange: ClosedRange<Int64> = 0...221_845_391_999

  package init(keepsText: Bool = true) {
    self.keepsText = keepsText
  }

  /// Decodes every object of the last scanned value; bad objects are appended to `problems`.
  package mutating func decode<Sink: ObjectSink>(
    _ scanned: borrowing StripeObjectScanner, text s: borrowing JSONScanner, file: Int32,
    into sink: inout Sink, problems: inout [ObjectProblem]
  ) {
    scanned.objects.withUnsafeBufferPointer { objects in
      guard let first = objects.baseAddress else { return }
      if objects.count == 1 {
        // The common case: one bare object on a line.
        _ = decodeOne(
          first, index: 0, objects: objects, scanned: scanned, s: s, file: file, into: &sink, problems: &problems)
        return
      }
      // What each object turned out to be, so that children know whether to count.
      kinds.removeAll(keepingCapacity: true)
      kinds.append(contentsOf: repeatElement(.skipped, count: objects.count))
      for index in objects.indices {
        let o = first + index
        let expectedByParent: Bool
        switch o.pointee.role {
        case .top: expectedByParent = true
        case .listItem: expectedByParent = kinds[o.pointee.parent] == .list
        case .entriesList: expectedByParent = kinds[o.pointee.parent] == .transaction
        case .expandedTransaction: expectedByParent = kinds[o.pointee.parent] == .entry
        }
        guard expectedByParent else { continue }
        kinds[index] = decodeOne(
          o, index: index, objects: objects, scanned: scanned, s: s, file: file, into: &sink, problems: &problems)
      }
    }
  }

  private mutating func decodeOne<Sink: ObjectSink>(
    _ o: UnsafePointer<ScannedObject>, index: Int, objects: UnsafeBufferPointer<ScannedObject>,
    scanned: borrowing StripeObjectScanner, s: borrowing JSONScanner, file: Int32, into sink: inout Sink,
    problems: inout [ObjectProblem]
  ) -> Kind {
    let source = SourceLocation(file: file, line: Int32(clamping: o.pointee.line))
    do throws(DecodeFailure) {
      return try decodeObject(o, objects: objects, scanned: scanned, s: s, source: source, into: &sink)
    } catch {
      problems.append(
        ObjectProblem(line: o.pointee.line, start: o.pointee.start, end: o.pointee.end, message: error.message))
      return .rejected
    }
  }

  enum Kind: Equatable { case skipped, rejected, list, transaction, entry, other }

  struct DecodeFailure: Error { var message: String }

  private mutating func decodeObject<Sink: ObjectSink>(
    _ object: UnsafePointer<ScannedObject>, objects: UnsafeBufferPointer<ScannedObject>,
    scanned: borrowing StripeObjectScanner, s: borrowing JSONScanner, source: SourceLocation, into sink: inout Sink
  ) throws(DecodeFailure) -> Kind {
    let o = object
    guard let objectSpan = o.pointee.object else {
      if o.pointee.notAnObject, let problem = o.pointee.problem { throw DecodeFailure(message: problem.message(in: s)) }
      if o.pointee.role == .entriesList {
        throw DecodeFailure(message: "'entries' must be a list object, found an object without 'object'")
      }
      throw DecodeFailure(
        message:
          "lacks required field 'object'; expected a Stripe object (treasury.transaction, treasury.transaction_entry, treasury.financial_account, account) or a list page"
      )
    }
    let type = ObjectType(s, objectSpan)
    if o.pointee.role == .entriesList && type != .list {
      throw DecodeFailure(message: "'entries' must be a list object, found object '\(s.shown(objectSpan))'")
    }
    if o.pointee.role == .expandedTransaction && type != .transaction {
      throw DecodeFailure(
        message: "an expanded 'transaction' must be a treasury.transaction, found '\(s.shown(objectSpan))'")
    }
    if type != .other && type != .list { try checkTextLengths(o.pointee) }
    switch type {
    case .list:
      if let problem = o.pointee.problem { throw DecodeFailure(message: problem.message(in: s)) }
      guard o.pointee.hasData else { throw DecodeFailure(message: "list object lacks required field 'data'") }
      return .list
    case .transaction:
      try decodeTransaction(o, s: s, source: source, into: &sink)
      return .transaction
    case .entry:
      try decodeEntry(o, objects: objects, s: s, source: source, into: &sink)
      return .entry
    case .financialAccount:
      try decodeFinancialAccount(o, scanned: scanned, s: s, source: source, into: &sink)
      return .other
    case .account:
      if let problem = o.pointee.problem { throw DecodeFailure(message: problem.message(in: s)) }
      let id = try require(o.pointee.id, "account", "id", s)
      sink.add(
        connectedAccount: ConnectedAccountInfo(id: id, name: o.pointee.businessName.map(s.string), source: source))
      return .other
    case .other:
      // Other types may use known names for other things (wrong kinds are theirs), but a repeated name,
      // `object` above all, leaves the object's meaning open.
      if let problem = o.pointee.problem, problem.kind == .repeated {
        throw DecodeFailure(message: problem.message(in: s))
      }
      sink.ignore(objectType: s.string(objectSpan), source: source)
      return .other
    }
  }

  private mutating func decodeTransaction<Sink: ObjectSink>(
    _ object: UnsafePointer<ScannedObject>, s: borrowing JSONScanner, source: SourceLocation, into sink: inout Sink
  ) throws(DecodeFailure) {
    let o = object.pointee
    let name = "treasury.transaction"
    if let problem = o.problem { throw DecodeFailure(message: problem.message(in: s)) }
    let id = try stripeID(o.id, name, "id", s)
    let amount = try amountValue(o.amount, name, "amount")
    let impact = try impactValue(o, name)
    let created = try timestamp(o.created, name, "created")
    let currency = try currencyValue(o.currency, name, s, &sink)
    guard o.hasDescription else { throw missing(name, "description") }
    let fa = try account(o.financialAccount, name, s, &sink)
    let flowType = try present(o.flowType, name, "flow_type")
    let flow = try o.flow.map { (span: StringSpan) throws(DecodeFailure) in try stripeID(span, name, "flow", s) }
    guard let livemode = o.livemode else { throw missing(name, "livemode") }
    let statusSpan = try present(o.status, name, "status")
    guard o.hasTransitions else { throw missing(name, "status_transitions") }
    let postedAt = try o.postedAt.map { (t: Int64) throws(DecodeFailure) in
      try timestamp(t, name, "status_transitions.posted_at")
    }
    let voidAt = try o.voidAt.map { (t: Int64) throws(DecodeFailure) in
      try timestamp(t, name, "status_transitions.void_at")
    }
    let status: TransactionStatus
    switch s.withBytes(statusSpan, { StatusWord($0) }) {
    case .open:
      status = .open
      guard postedAt == nil && voidAt == nil else {
        throw DecodeFailure(
          message: "transaction is open but has status_transitions.\(postedAt != nil ? "posted_at" : "void_at") set")
      }
    case .posted:
      status = .posted
      guard postedAt != nil else {
        throw DecodeFailure(message: "transaction is posted but status_transitions.posted_at is null")
      }
      guard voidAt == nil else {
        throw DecodeFailure(message: "transaction is posted but status_transitions.void_at is set")
      }
    case .void:
      status = .void
      guard voidAt != nil else {
        throw DecodeFailure(message: "transaction is void but status_transitions.void_at is null")
      }
      guard postedAt == nil else {
        throw DecodeFailure(message: "transaction is void but status_transitions.posted_at is set")
      }
    case .unknown:
      throw DecodeFailure(message: "'status' must be open, posted or void, found '\(s.shown(statusSpan))'")
    }
    let record = TransactionRecord(
      id: intern(id, s, &sink),
      financialAccount: fa,
      currency: currency,
      flow: keepsText ? internOptional(flow, s, &sink) : .none,
      flowType: keepsText ? intern(flowType, s, &sink) : .none,
      description: keepsText ? internOptional(o.description, s, &sink) : .none,
      amount: amount, impact: impact, created: created, status: status, livemode: livemode,
      postedAt: postedAt, voidAt: voidAt, source: source)
    sink.add(transaction: record)
  }

  private mutating func decodeEntry<Sink: ObjectSink>(
    _ object: UnsafePointer<ScannedObject>, objects: UnsafeBufferPointer<ScannedObject>, s: borrowing JSONScanner,
    source: SourceLocation, into sink: inout Sink
  ) throws(DecodeFailure) {
    let o = object.pointee
    let name = "treasury.transaction_entry"
    if let problem = o.problem { throw DecodeFailure(message: problem.message(in: s)) }
    let id = try stripeID(o.id, name, "id", s)
    let impact = try impactValue(o, name)
    let created = try timestamp(o.created, name, "created")
    let currency = try currencyValue(o.currency, name, s, &sink)
    let effectiveAt = try timestamp(o.effectiveAt, name, "effective_at")
    let fa = try account(o.financialAccount, name, s, &sink)
    let flowType = try present(o.flowType, name, "flow_type")
    let flow = try o.flow.map { (span: StringSpan) throws(DecodeFailure) in try stripeID(span, name, "flow", s) }
    guard let livemode = o.livemode else { throw missing(name, "livemode") }
    let type = try present(o.type, name, "type")
    let transaction: StringSpan
    if o.transactionChild >= 0 {
      guard let childID = objects[o.transactionChild].id else {
        throw DecodeFailure(message: "the expanded 'transaction' lacks its 'id'")
      }
      transaction = try stripeID(childID, name, "transaction.id", s)
    } else {
      transaction = try stripeID(o.transaction, name, "transaction", s)
    }
    let record = EntryRecord(
      id: intern(id, s, &sink),
      transaction: intern(transaction, s, &sink),
      financialAccount: fa,
      currency: currency,
      type: keepsText ? intern(type, s, &sink) : .none,
      flow: keepsText ? internOptional(flow, s, &sink) : .none,
      flowType: keepsText ? intern(flowType, s, &sink) : .none,
      impact: impact, created: created, effectiveAt: effectiveAt, livemode: livemode,
      source: source)
    sink.add(entry: record)
  }

  private func decodeFinancialAccount<Sink: ObjectSink>(
    _ object: UnsafePointer<ScannedObject>, scanned: borrowing StripeObjectScanner, s: borrowing JSONScanner,
    source: SourceLocation, into sink: inout Sink
  ) throws(DecodeFailure) {
    let o = object.pointee
    let name = "treasury.financial_account"
    if let problem = o.problem { throw DecodeFailure(message: problem.message(in: s)) }
    let id = s.string(try stripeID(o.id, name, "id", s))
    guard let livemode = o.livemode else { throw missing(name, "livemode") }
    let items = scanned.balanceItems[o.balanceItems]
    if let item = items.first(where: { !Money.isAmount($0.value) }) {
      throw DecodeFailure(
        message: "'balance' amount \(item.value) is out of range (at most \(Money.limit) minor units either way)")
    }
    var currencies = Set<String>()
    for item in items {
      let name = "balance.\(item.part.name).\(s.string(item.currency))"
      guard currencies.insert(name).inserted else {
        throw DecodeFailure(message: "'\(name)' appears more than once in the object")
      }
    }
    let balance = Self.balances(items, s)
    sink.add(
      financialAccount: FinancialAccountInfo(
        id: id, livemode: livemode, status: o.status.map(s.string) ?? "",
        holderName: o.holderName.map(s.string), bankName: o.bankName.map(s.string),
        routingNumber: o.routingNumber.map(s.string),
        accountNumberLast4: o.accountNumberLast4.map(s.string),
        reportedBalance: balance, source: source))
  }

  /// A financial account's `balance` items as sub-balances by currency (fetch reads them the same way).
  package static func balances(_ items: ArraySlice<BalanceItem>, _ s: borrowing JSONScanner) -> [String: SubBalances] {
    var balance: [String: SubBalances] = [:]
    for item in items {
      let currency = s.string(item.currency)
      var sub = balance[currency, default: .zero]
      switch item.part {
      case .cash: sub.cash = item.value
      case .inboundPending: sub.inboundPending = item.value
      case .outboundPending: sub.outboundPending = item.value
      }
      balance[currency] = sub
    }
    return balance
  }

  // MARK: Field rules

  /// The longest text field the tool keeps, in bytes: every text ends up in a cell or element of some output, and
  /// `verify` reads a CSV record of at most 1 MiB; a Stripe description is a few hundred characters.
  static let textLimit = 65_536

  private func checkTextLengths(_ o: ScannedObject) throws(DecodeFailure) {
    let fields: [(String, StringSpan?)] = [
      ("description", o.description), ("flow_type", o.flowType), ("type", o.type), ("status", o.status),
      ("account_holder_name", o.holderName), ("bank_name", o.bankName), ("routing_number", o.routingNumber),
      ("account_number_last4", o.accountNumberLast4), ("business_profile.name", o.businessName),
    ]
    for (name, span) in fields {
      if let span, span.count > Self.textLimit {
        throw DecodeFailure(
          message: "'\(name)' is \(span.count) bytes long, more than the \(Self.textLimit) bytes a text field may hold")
      }
    }
  }

  private func missing(_ object: String, _ field: String) -> DecodeFailure {
    DecodeFailure(message: "\(object) lacks required field '\(field)'")
  }

  private func present(_ span: StringSpan?, _ object: String, _ field: String) throws(DecodeFailure) -> StringSpan {
    guard let span else { throw missing(object, field) }
    guard span.count > 0 else { throw DecodeFailure(message: "'\(field)' must not be empty") }
    return span
  }

  /// A Stripe id (of a financial account, transaction or entry): ids name output folders and are written into every
  /// format, so only letters, digits and `_` (what Stripe's ids are made of), at most 255 of them, are accepted.
  private func stripeID(
    _ span: StringSpan?, _ object: String, _ field: String, _ s: JSONScanner
  ) throws(DecodeFailure) -> StringSpan {
    let span = try present(span, object, field)
    let valid = s.withBytes(span) { bytes in
      bytes.count <= 255
        && bytes.allSatisfy { c in
          (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
            || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "_")
        }
    }
    guard valid else {
      throw DecodeFailure(
        message: "'\(field)' must be a Stripe id (at most 255 letters, digits and '_'), found '\(s.shown(span))'")
    }
    return span
  }

  private func require(_ span: StringSpan?, _ object: String, _ field: String, _ s: borrowing JSONScanner)
    throws(DecodeFailure)
    -> String
  {
    s.string(try present(span, object, field))
  }

  private func amountValue(_ value: Int64?, _ object: String, _ field: String) throws(DecodeFailure) -> Int64 {
    guard let value else { throw missing(object, field) }
    guard Money.isAmount(value) else {
      throw DecodeFailure(
        message: "'\(field)' \(value) is out of range (at most \(Money.limit) minor units either way)")
    }
    return value
  }

  private func impactValue(_ o: ScannedObject, _ object: String) throws(DecodeFailure) -> SubBalances {
    guard o.hasImpact else { throw missing(object, "balance_impact") }
    return SubBalances(
      cash: try amountValue(o.impactCash, object, "balance_impact.cash"),
      inboundPending: try amountValue(o.impactInboundPending, object, "balance_impact.inbound_pending"),
      outboundPending: try amountValue(o.impactOutboundPending, object, "balance_impact.outbound_pending"))
  }

  private func timestamp(_ value: Int64?, _ object: String, _ field: String) throws(DecodeFailure) -> Int64 {
    guard let value else { throw missing(object, field) }
    guard Self.timeRange.contains(value) else {
      throw DecodeFailure(message: "'\(field)' \(value) is not a Unix timestamp between 1970 and 9000")
    }
    return value
  }

  /// The currency's symbol; checked (three lowercase letters) when it differs from the last one.
  private mutating func currencyValue<Sink: ObjectSink>(
    _ span: StringSpan?, _ object: String, _ s: borrowing JSONScanner, _ sink: inout Sink
  ) throws(DecodeFailure) -> Symbol {
    guard let span else { throw missing(object, "currency") }
    // Read once, outside the closures: a closure that reads the sink itself would copy it in unspecialized code.
    let generation = sink.symbolGeneration
    if let symbol = s.withBytes(span, { recentCurrency.lookup($0, generation: generation) }) {
      return symbol
    }
    let valid = s.withBytes(span) { bytes in
      bytes.count == 3 && bytes.allSatisfy { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }
    }
    guard valid else {
      throw DecodeFailure(
        message: "'currency' must be a three-letter ISO 4217 code in lowercase, found '\(s.shown(span))'")
    }
    return s.withBytes(span) { bytes in
      recentCurrency.remember(bytes, sink.intern(bytes), generation: generation)
    }
  }

  /// The financial account's symbol; its id is checked when it differs from the last one.
  private mutating func account<Sink: ObjectSink>(
    _ span: StringSpan?, _ object: String, _ s: borrowing JSONScanner, _ sink: inout Sink
  ) throws(DecodeFailure) -> Symbol {
    guard let span else { throw missing(object, "financial_account") }
    let generation = sink.symbolGeneration
    if let symbol = s.withBytes(span, { recentAccount.lookup($0, generation: generation) }) {
      return symbol
    }
    let checked = try stripeID(span, object, "financial_account", s)
    return s.withBytes(checked) { bytes in
      recentAccount.remember(bytes, sink.intern(bytes), generation: generation)
    }
  }

  @inline(__always)
  private func intern<Sink: ObjectSink>(_ span: StringSpan, _ s: borrowing JSONScanner, _ sink: inout Sink) -> Symbol {
    s.withBytes(span) { sink.intern($0) }
  }

  @inline(__always)
  private func internOptional<Sink: ObjectSink>(_ span: StringSpan?, _ s: borrowing JSONScanner, _ sink: inout Sink)
    -> Symbol
  {
    guard let span else { return .none }
    return s.withBytes(span) { sink.intern($0) }
  }
}

/// The `object` values the tool reads.
enum ObjectType: Equatable {
  case transaction, entry, financialAccount, account, list, other

  init(_ s: borrowing JSONScanner, _ span: StringSpan) {
    self = s.withBytes(span) { bytes in
      let eq = StripeObjectScanner.equal
      if eq(bytes, "treasury.transaction_entry") { return .entry }
      if eq(bytes, "treasury.transaction") { return .transaction }
      if eq(bytes, "list") { return .list }
      if eq(bytes, "treasury.financial_account") { return .financialAccount }
      if eq(bytes, "account") { return .account }
      return .other
    }
  }
}

/// A transaction `status` word.
enum StatusWord {
  case open, posted, void, unknown

  init(_ bytes: UnsafeRawBufferPointer) {
    let eq = StripeObjectScanner.equal
    if eq(bytes, "posted") {
      self = .posted
    } else if eq(bytes, "open") {
      self = .open
    } else if eq(bytes, "void") {
      self = .void
    } else {
      self = .unknown
    }
  }
}

/// The last string interned for one field, to skip hashing when the next object repeats it.
struct RecentSymbol {
  private var bytes: [UInt8] = []
  private var symbol = Symbol.none
  private var generation = 0

  @inline(__always)
  func lookup(_ candidate: UnsafeRawBufferPointer, generation current: Int) -> Symbol? {
    guard !symbol.isNone, generation == current, candidate.count == bytes.count else { return nil }
    return bytes.withUnsafeBytes { memcmp($0.baseAddress!, candidate.baseAddress!, candidate.count) == 0 }
      ? symbol : nil
  }

  mutating func remember(_ candidate: UnsafeRawBufferPointer, _ symbol: Symbol, generation: Int) -> Symbol {
    bytes = Array(candidate)
    self.symbol = symbol
    self.generation = generation
    return symbol
  }
}
