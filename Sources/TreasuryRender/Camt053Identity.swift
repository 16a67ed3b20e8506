import Crypto
import TreasuryLedger
@_spi(Inlining) import TreasuryModel

/// The identifiers of a camt.053 document, all derived from the data so that reruns give the same bytes.
///
/// - Stmt/Id names the statement (account, currency, period and the time zone
///   it is drawn in, which decides its booking dates), whatever its content:
///   `<period label>-<12 hex digits>`, at most 35 characters.
/// - MsgId names this message: `TR` and 32 hex digits of a SHA-256 over the
///   version, the statement, its creation time and everything the document
///   says, so an unchanged statement keeps its MsgId (an importer can drop the
///   duplicate) and any change gives a new one.
/// - ElctrncSeqNb is the period label's digits (`2026-03` → 202603,
///   `2026-W11` → 202611, `2026-03-15` → 20260315): increasing from one
///   statement of an account to the next, and the same whichever periods a
///   run writes.
package enum Camt053Identity {
  static func statementID(_ key: StatementKey, zone: String) -> String {
    var hash = SHA256()
    hash.field(zone)
    hash.field(key.financialAccount)
    hash.field(key.currency)
    hash.field(key.period.start)
    hash.field(key.period.end)
    let label = String(key.period.label.prefix(22))
    return label + "-" + String(Hex.string(hash.finalize()).prefix(12))
  }

  package static func sequenceNumber(_ period: Period) -> String {
    let digits = String(period.label.unicodeScalars.filter { $0.properties.numericType != nil && $0.isASCII })
    return digits.isEmpty ? "1" : String(digits.prefix(18))
  }

  static func messageID(
    _ statement: Statement, symbols: SymbolTable, version: Camt053Version, includePending: Bool, created: Int64,
    zone: String
  ) -> String {
    var hash = SHA256()
    hash.field(version.name)
    hash.field(statementID(statement.key, zone: zone))
    hash.field(created)
    hash.field(statement.header?.holderName ?? "")
    hash.field(statement.header?.bankName ?? "")
    hash.field(statement.header?.routingNumber ?? "")
    for value in [statement.opening, statement.closing].flatMap({ [$0.cash, $0.inboundPending, $0.outboundPending] }) {
      hash.field(value)
    }
    hash.field(statement.credits)
    hash.field(statement.debits)
    for line in statement.bookedLines { hash.transaction(line.transaction, symbols) }
    if includePending {
      hash.field("pending")
      for line in statement.pendingLines { hash.transaction(line.transaction, symbols) }
    }
    return "TR" + String(Hex.string(hash.finalize()).prefix(32))
  }

  /// An account identification of at most 34 characters (Max34Text): the id itself when it fits.
  static func accountID(_ financialAccount: String) -> String {
    guard financialAccount.unicodeScalars.count > 34 else { return financialAccount }
    var hash = SHA256()
    hash.field(financialAccount)
    return String(financialAccount.prefix(21)) + "~" + String(Hex.string(hash.finalize()).prefix(12))
  }
}

extension SHA256 {
  /// Adds a field followed by a separator, so that ("ab", "c") and ("a", "bc") hash differently.
  fileprivate mutating func field(_ text: String) {
    update(data: Array(text.utf8))
    update(data: [0x1F])
  }

  fileprivate mutating func field(_ value: Int64) { field(String(value)) }

  fileprivate mutating func field(bytes: UnsafeRawBufferPointer) {
    update(bufferPointer: bytes)
    update(data: [0x1F])
  }

  fileprivate mutating func transaction(_ t: TransactionRecord, _ symbols: SymbolTable) {
    for symbol in [t.id, t.flowType, t.flow, t.description] {
      symbols.withBytes(symbol) { field(bytes: $0) }
    }
    field(t.amount)
    field(t.created)
    field(t.postedAt ?? -1)
  }
}
