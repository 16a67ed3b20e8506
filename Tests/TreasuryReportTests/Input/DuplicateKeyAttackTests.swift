import Foundation
import Testing

@_spi(Inlining) @testable import TreasuryModel

/// A member name written twice in one object: which value counts is undefined in JSON, so the object is invalid
/// (never "the last one wins").
@Suite struct DuplicateKeyAttackTests {
  static let posted = Lines.transaction("trxn_1", amount: 500, flowType: "received_credit")
  static let entry = Lines.entry("trxne_1", transaction: "trxn_1", at: 1_767_225_600, cash: 500)

  /// `line` with `member` (a `"name":value` text) added after its first `{`.
  static func adding(_ member: String, to line: String) -> String {
    "{" + member + "," + line.dropFirst()
  }

  static func message(_ field: String) -> String { "'\(field)' appears more than once in the object" }

  @Test(arguments: [
    // A second amount, also written with an escape (the same name once decoded).
    (#""amount":-500"#, "amount"),
    (#""am\u006Funt":-500"#, "amount"),
    (#""financial_account":"fa_2""#, "financial_account"),
    (#""status":"void""#, "status"),
    (#""balance_impact":{"cash":-500,"inbound_pending":0,"outbound_pending":0}"#, "balance_impact"),
    (#""description":null"#, "description"),
  ])
  func aRepeatedTopLevelFieldRejectsTheTransaction(member: String, field: String) throws {
    let (store, invalid) = try readDump(Self.adding(member, to: Self.posted) + "\n" + Self.entry)
    #expect(store.transactions.isEmpty)
    #expect(store.entries.count == 1)
    #expect(invalid.map(\.line) == [1])
    #expect(invalid.map(\.reason) == [Self.message(field)])
  }

  @Test(arguments: [
    (#""balance_impact":{"cash":500,"inbound_pending":0,"outbound_pending":0,"cash":-500}"#, "balance_impact.cash"),
    (
      #""status_transitions":{"posted_at":1767225660,"void_at":null,"posted_at":1767225999}"#,
      "status_transitions.posted_at"
    ),
  ])
  func aRepeatedNestedFieldRejectsTheTransaction(replacement: String, field: String) throws {
    let prefix = replacement.prefix { $0 != "{" }
    let line = Self.posted.replacingOccurrences(
      of: #"\#(prefix)\{[^}]*\}"#, with: replacement, options: .regularExpression)
    #expect(line != Self.posted)
    let (store, invalid) = try readDump(line)
    #expect(store.transactions.isEmpty)
    #expect(invalid.map(\.reason) == [Self.message(field)])
  }

  /// `object` decides the type: written twice it is an error even when the last value is a type the tool ignores.
  @Test func aRepeatedObjectIsAnErrorWhateverTheType() throws {
    let (store, invalid) = try readDump(Self.adding(#""object":"issuing.card""#, to: Self.posted))
    #expect(store.transactions.isEmpty && store.counts.ignored.isEmpty)
    #expect(invalid.map(\.reason) == [Self.message("object")])
  }

  /// In a list page only the item with the repeated name is rejected; a page with two `data` arrays is rejected whole.
  @Test func listItemsAndPages() throws {
    let badEntry = Self.adding(#""transaction":"trxn_other""#, to: Self.entry)
    let page = #"{"object":"list","data":[\#(Self.posted),\#(badEntry)],"has_more":false}"#
    let (store, invalid) = try readDump(page)
    #expect(store.transactions.count == 1 && store.entries.isEmpty)
    #expect(invalid.map(\.reason) == [Self.message("transaction")])
    #expect(invalid.first?.raw == badEntry)

    let twoData = #"{"object":"list","data":[\#(Self.posted)],"data":[\#(Self.entry)]}"#
    let (none, rejected) = try readDump(twoData)
    #expect(none.transactions.isEmpty && none.entries.isEmpty)
    #expect(rejected.map(\.reason) == [Self.message("data")])
  }

  /// A financial account's balance by currency and its address fields are read: repeats there are errors too.
  @Test func financialAccountBalancesAndAddresses() throws {
    let account = Lines.financialAccount(cash: [("usd", 500)])
    let twiceUSD = account.replacingOccurrences(of: #""cash":{"usd":500}"#, with: #""cash":{"usd":500,"usd":7}"#)
    #expect(twiceUSD != account)
    let (a, first) = try readDump(twiceUSD)
    #expect(a.financialAccounts.isEmpty)
    #expect(first.map(\.reason) == [Self.message("balance.cash.usd")])

    let holder = account.replacingOccurrences(
      of: #""financial_addresses":[]"#,
      with:
        #""financial_addresses":[{"type":"aba","aba":{"account_holder_name":"Ann","bank_name":"B","account_holder_name":"Mallory"}}]"#
    )
    let (b, second) = try readDump(holder)
    #expect(b.financialAccounts.isEmpty)
    #expect(second.map(\.reason) == [Self.message("financial_addresses.aba.account_holder_name")])
  }

  /// Names the tool never reads, and objects nested under them, are skipped: repeats there change nothing.
  @Test func repeatsTheToolDoesNotReadAreIgnored() throws {
    let line = Self.adding(#""metadata":{"a":"1","a":"2"},"metadata":{},"x":1,"x":2"#, to: Self.posted)
    let (store, invalid) = try readDump(line)
    #expect(invalid.isEmpty)
    #expect(store.transactions.count == 1)
  }

  /// End to end: exit 2, FILE:LINE and the name; nothing written.
  @Test func theRunStopsWithFileLineAndTheName() throws {
    let folder = TestSupport.TemporaryFolder()
    folder.write(
      "acct_1Dup/dump.jsonl", [Self.entry, Self.adding(#""amount":-500"#, to: Self.posted)].joined(separator: "\n"))
    let run = try TestSupport.run("treasury-report", ["statements", "acct_1Dup", "--out", "out"], cwd: folder.path)
    #expect(run.status == 2)
    #expect(run.stderr.hasPrefix("acct_1Dup/dump.jsonl:2: error: \(Self.message("amount"))\n"), "\(run.stderr)")
    #expect(!FileManager.default.fileExists(atPath: folder.file("out")))
  }
}
