import Testing

@_spi(Inlining) @testable import TreasuryModel

/// Builds transaction and entry lines in the API's shape.
enum Lines {
  static func transaction(
    _ id: String, amount: Int, status: String = "posted", created: Int = 1_767_225_600, posted: Int? = nil,
    void: Int? = nil, impact: (Int, Int, Int)? = nil, fa: String = "fa_1", description: String = "d",
    flowType: String = "outbound_payment"
  ) -> String {
    let postedAt = posted ?? (status == "posted" ? created + 60 : nil)
    let voidAt = void ?? (status == "void" ? created + 60 : nil)
    let i =
      impact ?? (status == "void" ? (0, 0, 0) : status == "open" && amount < 0 ? (amount, 0, -amount) : (amount, 0, 0))
    return
      #"{"id":"\#(id)","object":"treasury.transaction","amount":\#(amount),"balance_impact":{"cash":\#(i.0),"inbound_pending":\#(i.1),"outbound_pending":\#(i.2)},"created":\#(created),"currency":"usd","description":"\#(description)","financial_account":"\#(fa)","flow":"flow_\#(id)","flow_type":"\#(flowType)","livemode":false,"status":"\#(status)","status_transitions":{"posted_at":\#(postedAt.map(String.init) ?? "null"),"void_at":\#(voidAt.map(String.init) ?? "null")}}"#
  }

  static func entry(
    _ id: String, transaction: String, at: Int, cash: Int = 0, outbound: Int = 0, fa: String = "fa_1",
    type: String = "outbound_payment"
  ) -> String {
    #"{"id":"\#(id)","object":"treasury.transaction_entry","balance_impact":{"cash":\#(cash),"inbound_pending":0,"outbound_pending":\#(outbound)},"created":\#(at),"currency":"usd","effective_at":\#(at),"financial_account":"\#(fa)","flow":"flow_\#(transaction)","flow_type":"outbound_payment","livemode":false,"transaction":"\#(transaction)","type":"\#(type)"}"#
  }

  /// `count` received credits `trxn_0…`, one second apart from 2026-01-01, amounts 1.00, 1.01, …: a big file.
  static func receivedCredits(_ count: Int) -> [String] {
    (0..<count).map {
      transaction("trxn_\($0)", amount: 100 + $0, created: 1_767_225_600 + $0, flowType: "received_credit")
    }
  }

  /// A financial_account object reporting these cash balances (pending parts zero), by currency.
  static func financialAccount(_ id: String = "fa_1", cash: [(currency: String, amount: Int)]) -> String {
    func part(_ value: (String, Int) -> Int) -> String {
      "{" + cash.map { #""\#($0.currency)":\#(value($0.currency, $0.amount))"# }.joined(separator: ",") + "}"
    }
    return
      #"{"id":"\#(id)","object":"treasury.financial_account","livemode":false,"status":"open","balance":{"cash":\#(part { $1 }),"inbound_pending":\#(part { _, _ in 0 }),"outbound_pending":\#(part { _, _ in 0 })},"financial_addresses":[],"supported_currencies":["usd"]}"#
  }
}

@Suite struct LedgerStoreTests {
  @Test func keepsTheMostAdvancedCopyWhateverTheOrder() throws {
    let open = Lines.transaction("trxn_a", amount: -1000, status: "open")
    let posted = Lines.transaction("trxn_a", amount: -1000, status: "posted")
    for lines in [[open, posted], [posted, open], [open, posted, open, posted]] {
      let (store, invalid) = try readDump(lines.joined(separator: "\n"))
      #expect(invalid.isEmpty)
      #expect(store.transactions.count == 1)
      #expect(store.transactions.first?.status == .posted)
      #expect(store.counts.staleCopiesSuperseded == lines.filter { $0 == open }.count)
      #expect(store.counts.duplicatesDropped == lines.count - 1 - store.counts.staleCopiesSuperseded)
    }
  }

  @Test func dropsExactDuplicateEntries() throws {
    let e = Lines.entry("trxne_1", transaction: "trxn_a", at: 100, cash: -5)
    let (store, _) = try readDump([e, e, e].joined(separator: "\n"))
    #expect(store.entries.count == 1)
    #expect(store.counts.entries == 3)
    #expect(store.counts.duplicatesDropped == 2)
  }

  @Test func contradictoryCopiesAreConflicts() throws {
    let posted = Lines.transaction("trxn_a", amount: -1000, status: "posted")
    let void = Lines.transaction("trxn_a", amount: -1000, status: "void")
    let (store, _) = try readDump([posted, void].joined(separator: "\n"))
    #expect(store.conflicts.count == 1)
    #expect(store.conflicts.first?.detail.hasPrefix("status posted against void") == true)

    let e1 = Lines.entry("trxne_1", transaction: "trxn_a", at: 100, cash: -5)
    let e2 = Lines.entry("trxne_1", transaction: "trxn_a", at: 100, cash: -6)
    let (entries, _) = try readDump([e1, e2].joined(separator: "\n"))
    #expect(entries.conflicts.map(\.id) == ["trxne_1"])
    #expect(entries.conflicts.first?.first == SourceLocation(file: 0, line: 1))
    #expect(entries.conflicts.first?.second == SourceLocation(file: 0, line: 2))
  }

  @Test func differingOpenCopiesAreSettledByContentNotOrder() throws {
    let a = Lines.transaction("trxn_a", amount: -1000, status: "open", description: "first wording")
    let b = Lines.transaction("trxn_a", amount: -1000, status: "open", description: "second wording")
    let one = try readDump([a, b].joined(separator: "\n")).store
    let two = try readDump([b, a].joined(separator: "\n")).store
    let kept = [one, two].map { store in store.symbols.string(store.transactions[0].description) }
    #expect(kept[0] == kept[1])
    #expect(one.counts.differingCopies == 1)
  }

  @Test func recordsLivemodeOfEachKind() throws {
    let test = Lines.transaction("trxn_a", amount: 1)
    let live = test.replacingOccurrences(of: "\"livemode\":false", with: "\"livemode\":true")
      .replacingOccurrences(of: "trxn_a", with: "trxn_b")
    let (store, _) = try readDump([test, live].joined(separator: "\n"))
    #expect(store.livemode.isMixed)
    #expect(store.livemode.live == SourceLocation(file: 0, line: 2))
  }

  /// Every order of the same copies gives the same kept record, the same counts and the same verdict.
  @Test func resultsAndCountsDoNotDependOnLineOrder() throws {
    let copies = [
      Lines.transaction("trxn_a", amount: -1000, status: "open"),
      Lines.transaction("trxn_a", amount: -2000, status: "open"),
      Lines.transaction("trxn_a", amount: -1000, status: "posted"),
      Lines.transaction("trxn_a", amount: -1000, status: "posted"),
      Lines.transaction("trxn_a", amount: -1000, status: "posted", description: "other wording"),
    ]
    func permutations(_ items: [String]) -> [[String]] {
      guard items.count > 1 else { return [items] }
      return items.indices.flatMap { i -> [[String]] in
        var rest = items
        let head = rest.remove(at: i)
        return permutations(rest).map { [head] + $0 }
      }
    }
    var outcomes = Set<String>()
    for order in permutations(copies) {
      let (store, _) = try readDump(order.joined(separator: "\n"))
      let t = try #require(store.transactions.first)
      let c = store.counts
      outcomes.insert(
        "\(store.symbols.string(t.description)) \(t.status.name) \(t.amount) conflicts \(store.conflicts.count) "
          + "dup \(c.duplicatesDropped) stale \(c.staleCopiesSuperseded) differing \(c.differingCopies)")
    }
    #expect(outcomes == ["other wording posted -1000 conflicts 0 dup 2 stale 2 differing 1"])
  }
}
