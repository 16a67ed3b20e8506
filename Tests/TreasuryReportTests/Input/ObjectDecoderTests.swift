import Foundation
import Testing

@_spi(Inlining) @testable import TreasuryModel

/// A valid transaction line with some fields replaced (nil removes the field).
private func transaction(_ changes: [String: Any?] = [:]) -> String {
  var object: [String: Any] = [
    "id": "trxn_1", "object": "treasury.transaction", "amount": -1000,
    "balance_impact": ["cash": -1000, "inbound_pending": 0, "outbound_pending": 0],
    "created": 1_767_225_600, "currency": "usd", "description": "Payment", "entries": NSNull(),
    "financial_account": "fa_1", "flow": "obp_1", "flow_details": NSNull(), "flow_type": "outbound_payment",
    "livemode": false, "status": "posted", "status_transitions": ["posted_at": 1_767_225_700, "void_at": NSNull()],
  ]
  for (key, value) in changes {
    if let value { object[key] = value } else { object.removeValue(forKey: key) }
  }
  return json(object)
}

private func entry(_ changes: [String: Any?] = [:]) -> String {
  var object: [String: Any] = [
    "id": "trxne_1", "object": "treasury.transaction_entry",
    "balance_impact": ["cash": -1000, "inbound_pending": 0, "outbound_pending": 0], "created": 1_767_225_600,
    "currency": "usd", "effective_at": 1_767_225_600, "financial_account": "fa_1", "flow": "obp_1",
    "flow_type": "outbound_payment", "livemode": false, "transaction": "trxn_1", "type": "outbound_payment",
  ]
  for (key, value) in changes {
    if let value { object[key] = value } else { object.removeValue(forKey: key) }
  }
  return json(object)
}

private func json(_ object: Any) -> String {
  String(
    decoding: (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data(), as: UTF8.self)
}

@Suite struct ObjectDecoderTests {
  @Test func decodesEveryStripeFixture() throws {
    let url = try #require(Bundle.module.url(forResource: "Fixtures/stripe-fixtures", withExtension: "json"))
    let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    let resources = try #require(document["resources"] as? [String: Any])
    let lines = resources.keys.sorted().map { json(resources[$0] as Any) }.joined(separator: "\n")
    let (store, invalid) = try readDump(lines)
    #expect(invalid.isEmpty, "\(invalid.map(\.message))")
    #expect(store.counts.transactions == 1)
    #expect(store.counts.entries == 1)
    #expect(store.counts.financialAccounts == 1)
    #expect(store.counts.accounts == 1)
    // The flow objects and report objects are other types: counted, not used.
    #expect(store.counts.ignored.values.reduce(0, +) == resources.count - 4)
    let t = try #require(store.transactions.first)
    #expect(store.symbols.string(t.id) == "trxn_1Pgc7BB7WZ01zgkWvyFCYTAP")
    #expect(t.amount == -100 && t.impact == SubBalances(cash: -100, inboundPending: 0, outboundPending: 100))
    #expect(t.status == .open && t.postedAt == nil)
    #expect(store.symbols.string(t.description) == "Jane Austen (6789) | Outbound transfer | transfer")
    let e = try #require(store.entries.first)
    #expect(e.impact.outboundPending == -1000 && store.symbols.string(e.type) == "outbound_transfer")
    let fa = try #require(store.financialAccounts["fa_1Pgc7BB7WZ01zgkWxDkCj857"])
    #expect(fa.holderName == "Jenny Rosen" && fa.routingNumber == "0000000001" && fa.accountNumberLast4 == "7890")
    #expect(fa.reportedBalance["usd"] == .zero)
    #expect(store.connectedAccounts["acct_1PgafTB7WZ01zgkW"] != nil)
  }

  /// Each kind of bad object, with the exact message a user sees.
  @Test(arguments: [
    (transaction(["amount": 12.5]), "'amount' must be an integer number of minor units, found 12.5"),
    (transaction(["amount": "100"]), "'amount' must be an integer number of minor units, found \"100\""),
    (transaction(["amount": nil]), "treasury.transaction lacks required field 'amount'"),
    (
      transaction(["amount": 1_000_000_000_000_001]),
      "'amount' 1000000000000001 is out of range (at most 1000000000000000 minor units either way)"
    ),
    (
      #"{"id":"trxn_1","object":"treasury.transaction","amount":99999999999999999999}"#,
      "'amount' is out of range: 99999999999999999999 does not fit in 64 bits"
    ),
    (transaction(["status": "pending"]), "'status' must be open, posted or void, found 'pending'"),
    (
      transaction(["status_transitions": ["posted_at": NSNull(), "void_at": NSNull()]]),
      "transaction is posted but status_transitions.posted_at is null"
    ),
    (
      transaction(["status": "open"]),
      "transaction is open but has status_transitions.posted_at set"
    ),
    (transaction(["currency": "USD"]), "'currency' must be a three-letter ISO 4217 code in lowercase, found 'USD'"),
    (transaction(["livemode": "false"]), "'livemode' must be true or false, found \"false\""),
    (transaction(["created": -5]), "'created' -5 is not a Unix timestamp between 1970 and 9000"),
    (
      transaction().replacingOccurrences(of: "\"created\":1767225600", with: "\"created\":1.7e9"),
      "'created' must be an integer Unix timestamp, found 1.7e9"
    ),
    (
      transaction(["balance_impact": ["cash": -1000, "inbound_pending": 0]]),
      "treasury.transaction lacks required field 'balance_impact.outbound_pending'"
    ),
    (
      transaction(["financial_account": "../etc"]),
      "'financial_account' must be a Stripe id (at most 255 letters, digits and '_'), found '../etc'"
    ),
    (transaction(["id": ""]), "'id' must not be empty"),
    (entry(["effective_at": nil]), "treasury.transaction_entry lacks required field 'effective_at'"),
    (entry(["transaction": 5]), "'transaction' must be a string, found 5"),
    (entry(["type": nil]), "treasury.transaction_entry lacks required field 'type'"),
    (
      #"{"id":"x","amount":1}"#,
      "lacks required field 'object'; expected a Stripe object (treasury.transaction, treasury.transaction_entry, treasury.financial_account, account) or a list page"
    ),
    (#"{"object":"list","has_more":false}"#, "list object lacks required field 'data'"),
  ])
  func reportsBadObjects(line: String, message: String) throws {
    let (store, invalid) = try readDump("\n" + line + "\n")
    #expect(invalid.map(\.reason) == [message])
    #expect(invalid.first?.line == 2)
    #expect(invalid.first?.raw == line)
    #expect(store.transactions.isEmpty && store.entries.isEmpty)
  }

  @Test func keepsUnknownFlowTypesAndIgnoresUnknownFields() throws {
    let line = transaction([
      "flow_type": "interest_payout", "some_new_field": ["nested": [1, 2, ["deep": true]]], "flow": NSNull(),
    ])
    let (store, invalid) = try readDump(line)
    #expect(invalid.isEmpty)
    let t = try #require(store.transactions.first)
    #expect(store.symbols.string(t.flowType) == "interest_payout")
    #expect(t.flow.isNone)
  }

  @Test func readsListPagesExpandedEntriesAndExpandedTransactions() throws {
    func object(_ text: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8)) }
    // A transaction with its entries expanded, and an entry with its transaction expanded, in one list page.
    var withEntries = try #require(try object(transaction(["id": "trxn_2"])) as? [String: Any])
    withEntries["entries"] = [
      "object": "list", "data": [try object(entry(["id": "trxne_a", "transaction": "trxn_2"]))], "has_more": false,
      "url": "/v1/treasury/transaction_entries",
    ]
    let entryWithTransaction = try object(
      entry(["id": "trxne_b", "transaction": try object(transaction(["id": "trxn_3"]))]))
    let page = json(["object": "list", "data": [withEntries, entryWithTransaction], "has_more": true, "url": "/v1/x"])
    let (store, invalid) = try readDump(page)
    #expect(invalid.isEmpty, "\(invalid.map(\.message))")
    #expect(Set(store.transactions.map { store.symbols.string($0.id) }) == ["trxn_2", "trxn_3"])
    #expect(Set(store.entries.map { store.symbols.string($0.id) }) == ["trxne_a", "trxne_b"])
    let b = try #require(store.entries.first { store.symbols.string($0.id) == "trxne_b" })
    #expect(store.symbols.string(b.transaction) == "trxn_3")
  }

  @Test func rejectsOnlyTheBadItemOfAListPage() throws {
    let good = try JSONSerialization.jsonObject(with: Data(entry(["id": "trxne_ok"]).utf8))
    let bad = try JSONSerialization.jsonObject(with: Data(entry(["id": "trxne_bad", "effective_at": 1.5]).utf8))
    let (store, invalid) = try readDump(json(["object": "list", "data": [good, bad]]))
    #expect(store.entries.count == 1)
    #expect(invalid.map(\.reason) == ["'effective_at' must be an integer Unix timestamp, found 1.5"])
    #expect(invalid.first?.raw.contains("trxne_bad") == true)
    #expect(invalid.first?.raw.contains("trxne_ok") == false)
  }

  @Test func aListItemThatIsNotAnObjectIsRejectedAlone() throws {
    let page = "{\"object\":\"list\",\"data\":[\(transaction()),5,\(entry())]}"
    let (store, invalid) = try readDump(page)
    #expect(store.transactions.count == 1 && store.entries.count == 1)
    #expect(invalid.map(\.reason) == ["'data' must be an array of Stripe objects, found 5"])
    #expect(invalid.first?.raw == "5")
  }

  @Test func multiLineDocumentsGetLineNumbers() throws {
    let document =
      "{\n  \"object\": \"list\",\n  \"data\": [\n    \(transaction()),\n    \(transaction(["id": "trxn_9", "amount": "x"]))\n  ]\n}\n"
    let (store, invalid) = try readDump(document, name: "page.json")
    #expect(store.transactions.count == 1)
    #expect(invalid.map(\.line) == [5])
    let broken = "{\n  \"object\": \"list\",\n  \"data\": [\n    {\"id\": oops}\n  ]\n}\n"
    let second = try readDump(broken, name: "broken.json")
    #expect(second.invalid.map(\.line) == [4])
    #expect(
      second.invalid.first?.reason
        == "expected a JSON value, found 'o' (column 12); the value on lines 1 to 6 is not used")
  }

  @Test func syntaxErrorsNameTheColumn() throws {
    let (_, invalid) = try readDump(transaction() + "\n{\"id\": \"trxn_2\",\n" + transaction() + " {}\n")
    #expect(
      invalid.map(\.message) == [
        "\(invalid.first?.file ?? ""):2: error: expected a member name in double quotes, found the end of the line (column 17)",
        "\(invalid.first?.file ?? ""):3: error: expected the end of the line after the value, found '{' (column \(transaction().utf8.count + 2))",
      ])
  }
}
