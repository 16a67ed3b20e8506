import Foundation
import Testing

@_spi(Inlining) @testable import TreasuryModel

/// Transaction and entry ids are written into every format and name rows in every CSV file: an id that is not a
/// Stripe id (letters, digits and `_`, at most 255) is an invalid object at the input, not something each format
/// has to cut, clean or refuse later (two ids differing only in a control character looked alike once CSV cleaned it).
@Suite struct ObjectIDAttackTests {
  static let entry = Lines.entry("trxne_1", transaction: "trxn_1", at: 1_767_225_600, cash: 500)

  @Test(arguments: [
    ("trxn_a b", "trxn_a b"),
    (#"trxn_\u001b]52;c;x\u0007"#, "trxn_\u{1B}]52;c;x\u{07}"),
    ("trxn_a,b", "trxn_a,b"),
    ("trxn_日本", "trxn_日本"),
    (String(repeating: "x", count: 256), String(repeating: "x", count: 100) + "…"),
  ])
  func aTransactionIdThatIsNoStripeIdIsRefused(id: String, shown: String) throws {
    let line = Lines.transaction(id, amount: 500, flowType: "received_credit")
    let (store, invalid) = try readDump(line + "\n" + Self.entry)
    #expect(store.transactions.isEmpty)
    #expect(invalid.map(\.line) == [1])
    #expect(
      invalid.map(\.reason) == ["'id' must be a Stripe id (at most 255 letters, digits and '_'), found '\(shown)'"])
  }

  @Test func anEntryIdAndTheTransactionItNamesMustBeStripeIds() throws {
    let badEntry = Lines.entry("trxne 1", transaction: "trxn_1", at: 1_767_225_600, cash: 500)
    let badTransaction = Lines.entry("trxne_2", transaction: "trxn/1", at: 1_767_225_600, cash: 500)
      .replacingOccurrences(of: #""flow":"flow_trxn/1""#, with: #""flow":"obp_1""#)
    let (store, invalid) = try readDump(badEntry + "\n" + badTransaction)
    #expect(store.entries.isEmpty)
    #expect(invalid.map(\.line) == [1, 2])
    #expect(invalid.map(\.reason).first?.hasPrefix("'id' must be a Stripe id") == true)
    #expect(invalid.map(\.reason).last?.hasPrefix("'transaction' must be a Stripe id") == true)
  }

  @Test func aLongestStripeIdIsAccepted() throws {
    let id = "trxn_" + String(repeating: "A", count: 250)
    let line = Lines.transaction(id, amount: 500, flowType: "received_credit")
      .replacingOccurrences(of: #""flow":"flow_\#(id)""#, with: #""flow":"obp_1""#)
    let (store, invalid) = try readDump(line)
    #expect(invalid.isEmpty)
    #expect(store.transactions.count == 1)
  }
}

/// A text field longer than 64 KiB (a description of megabytes) would make a CSV record `verify` refuses to read:
/// it is refused at the input, naming the field.
@Suite struct TextLengthAttackTests {
  @Test func aDescriptionOverTheLimitIsRefused() throws {
    let long = String(repeating: "d", count: 65_537)
    let line = Lines.transaction("trxn_1", amount: 500, description: long, flowType: "received_credit")
    let (store, invalid) = try readDump(line)
    #expect(store.transactions.isEmpty)
    #expect(
      invalid.map(\.reason) == ["'description' is 65537 bytes long, more than the 65536 bytes a text field may hold"])
    let (kept, none) = try readDump(
      Lines.transaction("trxn_1", amount: 500, description: String(long.dropFirst()), flowType: "received_credit"))
    #expect(none.isEmpty)
    #expect(kept.transactions.count == 1)
  }
}
