import TreasuryInput
@_spi(Inlining) import TreasuryModel

/// Reads fetched objects with the scanner and the rules `statements` uses, so that fetch stores nothing it would reject.
///
/// One reader for both commands: `StripeObjectScanner` finds the fields and
/// each list item's bytes in one pass, and `ObjectDecoder` (into a sink that
/// keeps nothing) gives the same verdict, with the same message, as
/// `statements` gives on the dump later. A reader keeps buffers between
/// objects; use one per task, not across tasks.
struct FetchedObjectReader {
  private var scanner = StripeObjectScanner()
  private var decoder = ObjectDecoder(keepsText: false)
  private var verdicts = VerdictSink()
  private var problems: [ObjectProblem] = []

  /// Reads one object from its JSON text (a dump line, a checkpoint line, a retrieved object, compact).
  mutating func object(
    _ text: UnsafeRawBufferPointer, expecting type: String
  ) -> Result<FetchedObject, FetchedObjectProblem> {
    guard let base = text.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
      return .failure(FetchedObjectProblem("an empty line, not a JSON object"))
    }
    var s = JSONScanner(base: base, count: text.count)
    do throws(FetchedObjectProblem) {
      try scan(&s, "the object")
      return .success(try item(0, in: s, expecting: type))
    } catch {
      return .failure(error)
    }
  }

  /// Reads a list page (compact JSON) whose items must all be of `type`.
  mutating func page(_ compact: [UInt8], itemType type: String) throws(FetchedObjectProblem) -> ListPage {
    try compact.withUnsafeBufferPointer { (all) throws(FetchedObjectProblem) -> ListPage in
      guard let base = all.baseAddress else { throw FetchedObjectProblem("the body is empty, not a list object") }
      var s = JSONScanner(base: base, count: all.count)
      try scan(&s, "the body")
      let top = scanner.objects[0]
      guard top.role == .top, let object = top.object, s.withBytes(object, { StripeObjectScanner.equal($0, "list") })
      else { throw FetchedObjectProblem("the body is not a list object") }
      guard top.hasData else { throw FetchedObjectProblem("the list has no 'data' array") }
      guard let hasMore = top.hasMore else { throw FetchedObjectProblem("the list has no 'has_more'") }
      if let problem = problems.first(where: { $0.start == top.start && $0.end == top.end }) {
        throw FetchedObjectProblem("the list would be rejected by statements: \(problem.message)")
      }
      var objects: [FetchedObject] = []
      for index in scanner.objects.indices
      where scanner.objects[index].role == .listItem
        && scanner.objects[index].parent == 0
      {
        objects.append(try item(index, in: s, expecting: type))
      }
      return ListPage(objects: objects, hasMore: hasMore)
    }
  }

  /// Scans one JSON object that fills the text, then lets the decoder judge every object in it.
  private mutating func scan(_ s: inout JSONScanner, _ what: String) throws(FetchedObjectProblem) {
    s.skipWhitespace()
    guard s.peek() == UInt8(ascii: "{") else { throw FetchedObjectProblem("\(what) is not a JSON object") }
    do throws(JSONSyntaxError) {
      try scanner.scan(&s)
      s.skipWhitespace()
      if !s.atEnd { throw s.fail("expected the end of \(what)") }
    } catch {
      throw FetchedObjectProblem("not valid JSON: \(error.message) (byte \(error.offset + 1))")
    }
    problems.removeAll(keepingCapacity: true)
    decoder.decode(scanner, text: s, file: 0, into: &verdicts, problems: &problems)
  }

  /// The object at `index` of the last scan, checked for its type, its id and the decoder's verdict.
  private func item(_ index: Int, in s: JSONScanner, expecting type: String) throws(FetchedObjectProblem)
    -> FetchedObject
  {
    let o = scanner.objects[index]
    if o.notAnObject { throw FetchedObjectProblem("an item of 'data' is not an object") }
    guard let object = o.object else { throw FetchedObjectProblem("an object without 'object'") }
    guard s.withBytes(object, { $0.elementsEqual(type.utf8) }) else {
      throw FetchedObjectProblem("a '\(s.string(object))' object where '\(type)' was expected")
    }
    guard let idSpan = o.id, case let id = s.string(idSpan), FetchedObject.isSafeID(id) else {
      throw FetchedObjectProblem("a \(type) whose 'id' is missing or not letters, digits and underscores")
    }
    if let problem = problems.first(where: { $0.start >= o.start && $0.end <= o.end }) {
      throw FetchedObjectProblem("\(id) would be rejected by statements: \(problem.message)")
    }
    var fetched = FetchedObject(
      id: id, created: o.created ?? 0,
      line: Array(UnsafeBufferPointer(start: s.base + o.start, count: o.end - o.start)))
    fetched.status = o.status.map(s.string)
    if o.transactionChild >= 0 {
      fetched.transaction = scanner.objects[o.transactionChild].id.map(s.string)
    } else {
      fetched.transaction = o.transaction.map(s.string)
    }
    fetched.financialAccount = o.financialAccount.map(s.string)
    fetched.currency = o.currency.map(s.string)
    fetched.amount = o.amount
    if o.hasImpact {
      fetched.impact = SubBalances(
        cash: o.impactCash ?? 0, inboundPending: o.impactInboundPending ?? 0,
        outboundPending: o.impactOutboundPending ?? 0)
    }
    if !o.balanceItems.isEmpty {
      fetched.balance = ObjectDecoder.balances(scanner.balanceItems[o.balanceItems], s)
    }
    return fetched
  }
}

/// A sink that keeps nothing: the decoder runs for its verdict (the problems it reports) alone.
private struct VerdictSink: ObjectSink {
  /// One symbol for every string, so that the decoder's caches of the last currency and account still hit.
  mutating func intern(_ bytes: UnsafeRawBufferPointer) -> Symbol { Symbol(index: 0) }
  mutating func add(transaction: TransactionRecord) {}
  mutating func add(entry: EntryRecord) {}
  mutating func add(financialAccount: FinancialAccountInfo) {}
  mutating func add(connectedAccount: ConnectedAccountInfo) {}
  mutating func ignore(objectType: String, source: SourceLocation) {}
}
