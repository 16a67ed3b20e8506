import TreasuryLedger
@_spi(Inlining) import TreasuryModel

/// One statement as a BAI2 account: its 03 record, a 16 record per booked line (continued in 88s), and its 49
/// trailer.
///
/// The 03 record carries the currency, status codes 010/015 (opening and
/// closing ledger = booked) and 040/045 (opening and closing available =
/// cash), signed, and summary codes 100 and 400 (credits and debits with
/// their counts). Each 16 record: the type code (`BAI2TypeCode`), the amount
/// in minor units without sign, funds type 0 (immediately available), the
/// transaction id as bank reference, the flow id as customer reference (both
/// exactly as they are, or the statement is refused: `ExportID`), and the
/// description as text. The 49 record's control total is the sum of
/// every amount in the 03 and 16 records, exact (it can pass Int64: four
/// balances and two totals near 2^61, and the details again); its record
/// count includes the 03, 16, 88 and 49 records.
///
/// Statements are built on parallel workers; each account is rendered on
/// its own and `BAI2File` puts the period's accounts together.
package enum BAI2Account {
  /// What the group and file trailers need from an account.
  package struct Totals: Sendable, Equatable {
    package init(control: Int128, records: Int) {
      self.control = control
      self.records = records
    }

    package var control: Int128
    package var records: Int
  }

  /// The customer account number: the financial account id.
  package static func accountNumber(_ statement: Statement) -> String { statement.key.financialAccount }

  /// Writes the account's records; returns its totals (also in its 49 record).
  package static func render(_ statement: Statement, symbols: SymbolTable, to target: RenderTarget) throws(RenderError)
    -> Totals
  {
    let records = BAI2Records(target: target)
    let credits = statement.creditLineCount
    let debits = statement.debitLineCount
    let status: [(String, Int64)] = [
      (BAI2TypeCode.openingLedger, statement.opening.booked),
      (BAI2TypeCode.closingLedger, statement.closing.booked),
      (BAI2TypeCode.openingAvailable, statement.opening.available),
      (BAI2TypeCode.closingAvailable, statement.closing.available),
    ]
    var control: Int128 = 0
    let account = accountNumber(statement)
    try ExportID.check(
      account, "financial account", field: "BAI2's account number", limit: ExportID.bai2AccountLimit,
      in: statement, source: statement.header?.source)
    var units: [[String]] = [[account, statement.key.currency.uppercased()]]
    for (code, amount) in status {
      units.append([code, String(amount), "", ""])
      control += Int128(amount)
    }
    units.append([BAI2TypeCode.totalCredits, String(statement.credits), String(credits), ""])
    units.append([BAI2TypeCode.totalDebits, String(statement.debits), String(debits), ""])
    control += Int128(statement.credits) + Int128(statement.debits)
    try records.record("03", units)

    var returns = Set<Symbol>()
    var isReturnType: [Symbol: Bool] = [:]
    for line in statement.entryLines {
      let type = line.entry.type
      let isReturn =
        isReturnType[type]
        ?? {
          let value = symbols.string(type).hasSuffix("_return")
          isReturnType[type] = value
          return value
        }()
      if isReturn { returns.insert(line.entry.transaction) }
    }
    // Descriptions repeat; one that needs cleaning costs a Unicode normalization, so each is cleaned once.
    var texts: [Symbol: String] = [:]
    func text(_ description: Symbol) -> String {
      if let known = texts[description] { return known }
      let value = BAI2Records.text(symbols.string(description))
      texts[description] = value
      return value
    }
    for line in statement.bookedLines {
      let t = line.transaction
      let code = BAI2TypeCode.detail(
        flowType: symbols.string(t.flowType), amount: t.amount, isReturn: returns.contains(t.id))
      let amount = t.amount.magnitude
      control += Int128(amount)
      let id = symbols.string(t.id)
      try ExportID.check(
        id, "transaction", field: "BAI2's bank reference", limit: ExportID.bai2Limit, excluded: ",/",
        in: statement, source: t.source)
      let flow = symbols.string(t.flow)
      if !t.flow.isNone {
        try ExportID.check(
          flow, "flow", field: "BAI2's customer reference", limit: ExportID.bai2Limit, excluded: ",/",
          in: statement, source: t.source)
      }
      // Fields go straight into the records' buffer: no strings or arrays per line.
      records.begin("16")
      records.field(code)
      records.field(amount)
      records.field("0")
      records.endUnit()
      records.field(id)
      records.endUnit()
      records.field(flow)
      records.endUnit()
      try records.end(text: text(t.description))
    }
    let count = records.count + 1
    try records.record("49", [[String(control), String(count)]])
    try records.flush()
    return Totals(control: control, records: count)
  }
}
