import Foundation
import Testing

@_spi(Inlining) @testable import TreasuryModel
@testable import TreasuryRender

private let mar1: Int64 = 1_772_323_200  // 2026-03-01T00:00:00Z
private let mar5: Int64 = 1_772_668_800

@Suite struct BAI2Tests {
  private func lines(_ write: (BAI2Records) throws -> Void) throws -> [String] {
    let target = MemoryTarget()
    let records = BAI2Records(target: target)
    try write(records)
    try records.flush()
    return target.text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
  }

  @Test func recordsAreContinuedAtUnitsAndTextAtSpaces() throws {
    let units =
      [["acct_with_a_long_number_0123456789", "USD"]] + (0..<6).map { [String(10 + $0), "123456789", "", ""] }
    let written = try lines { try $0.record("03", units) }
    #expect(written.allSatisfy { $0.count <= 80 })
    #expect(written.first?.hasPrefix("03,acct_with_a_long_number_0123456789,USD,10,123456789,,") == true)
    #expect(written.dropFirst().allSatisfy { $0.hasPrefix("88,") })
    #expect(written.allSatisfy { $0.hasSuffix(",/") })
    // Read back the way BAI2 readers do: a line ending in "/" continues with a field.
    let joined = written.map { $0.dropFirst(3).dropLast() }.joined(separator: ",")
    #expect(joined == units.map { $0.joined(separator: ",") }.joined(separator: ","))

    let text = String(repeating: "word ", count: 40) + "end"
    let detail = try lines { try $0.record("16", [["108", "100", "0"], ["trxn_1"], ["flow_1"]], text: text) }
    #expect(detail.count > 2 && detail.allSatisfy { $0.count <= 80 })
    #expect(detail.allSatisfy { !$0.hasSuffix("/") })
    // Readers join text lines with one space, which the split took out.
    let prefix = "16,108,100,0,trxn_1,flow_1,"
    #expect(detail[0].hasPrefix(prefix))
    #expect(
      ([String(detail[0].dropFirst(prefix.count))] + detail.dropFirst().map { String($0.dropFirst(3)) })
        .joined(separator: " ") == text)
    #expect(try lines { try $0.record("16", [["108", "1", "0"], ["t"], [""]], text: "") } == ["16,108,1,0,t,,/"])
  }

  /// The byte writer against the string-building one it replaced, on random units (long, empty, non-ASCII fields)
  /// and texts as `BAI2Records.text` makes them.
  @Test func recordsMatchTheStringBuildingOracle() throws {
    var random = Seeded(state: 2)
    let words = ["", "a", "108", "12345678901234567890", "acct_with_a_long_number_0123456789", "é", "日本", "x y"]
    for _ in 0..<3000 {
      var units: [[String]] = []
      for _ in 0..<random.below(8) {
        units.append((0..<(1 + random.below(4))).map { _ in random.pick(words) })
      }
      var text: String? = nil
      if random.chance(60) {
        let length = random.chance(20) ? random.below(400) : random.below(60)
        text = BAI2Records.text(String((0..<length).map { _ in random.pick(Array("ab cd  e/,")) }))
      }
      let code = random.pick(["03", "16", "49"])
      let written = try lines { try $0.record(code, units, text: text) }
      #expect(written == oracleRecord(code, units, text: text), "\(units) \(text ?? "nil")")
    }
    // Numbers as fields: what `String(_:)` writes.
    func oneField(_ code: String, _ field: (BAI2Records) -> Void) throws -> [String] {
      try lines { r in
        r.begin(code)
        field(r)
        r.endUnit()
        try r.end()
      }
    }
    for value: Int64 in [0, 1, -1, 10, 999, .max, .min] {
      #expect(try oneField("16") { $0.field(value) } == ["16,\(value)/"])
      #expect(try oneField("16") { $0.field(value.magnitude) } == ["16,\(value.magnitude)/"])
    }
    for value: Int128 in [0, -5, Int128(Int64.max) + 1, Int128(Int64.min) - 1, .max, .min] {
      #expect(try oneField("49") { $0.field(value) } == ["49,\(value)/"])
    }
  }

  @Test func textIsPrintableASCIIWithoutSlashesAtItsEnds() {
    #expect(BAI2Records.text("/Café, 日本\n/") == "Caf?, ??")
    #expect(BAI2Records.text("a,b/c", field: true) == "a b c")
    #expect(BAI2Records.text("Cafe\u{301}") == "Caf?")
  }

  /// Credits take 1xx–3xx codes, debits 4xx–6xx, for every flow type, entry type and direction.
  @Test(arguments: [
    "received_credit", "credit_reversal", "received_debit", "debit_reversal", "inbound_transfer",
    "outbound_transfer", "outbound_payment", "issuing_authorization", "interest_payout", "other", "new_flow",
  ])
  func typeCodesAgreeWithTheDirection(flowType: String) throws {
    for amount: Int64 in [-1, 0, 1] {
      for isReturn in [false, true] {
        let code = try #require(Int(BAI2TypeCode.detail(flowType: flowType, amount: amount, isReturn: isReturn)))
        #expect(amount >= 0 ? (100..<400).contains(code) : (400..<700).contains(code), "\(flowType) \(amount)")
      }
    }
    #expect(BAI2TypeCode.detail(flowType: "outbound_payment", amount: 3000, isReturn: true) == "266")
    #expect(BAI2TypeCode.detail(flowType: "inbound_transfer", amount: -3000, isReturn: true) == "557")
    #expect(BAI2TypeCode.detail(flowType: "interest_payout", amount: 3, isReturn: false) == "354")
  }

  /// An account's 03 … 49 records: balances, summary, details, and a control total that adds every amount.
  @Test func anAccountAddsUp() throws {
    let lines = [
      financialAccountLine(),
      Lines.transaction(
        "trxn_in", amount: 10000, created: Int(mar5), posted: Int(mar5), description: "In", flowType: "received_credit"),
      Lines.entry("trxne_1", transaction: "trxn_in", at: Int(mar5), cash: 10000, type: "received_credit"),
      Lines.transaction("trxn_ret", amount: 3000, created: Int(mar5) + 1, posted: Int(mar5) + 1, description: "Back"),
      Lines.entry("trxne_2", transaction: "trxn_ret", at: Int(mar5) + 1, cash: 3000, type: "outbound_payment_return"),
      Lines.transaction("trxn_out", amount: -25000, created: Int(mar5) + 2, posted: Int(mar5) + 2, description: "Out"),
      Lines.entry("trxne_3", transaction: "trxn_out", at: Int(mar5) + 2, cash: -25000),
    ]
    let (statements, symbols) = try CamtSupport.statements(lines, from: mar1, through: mar5)
    let target = MemoryTarget()
    let totals = try BAI2Account.render(try #require(statements.first), symbols: symbols, to: target)
    #expect(
      target.text == """
        03,fa_1,USD,010,0,,,015,-12000,,,040,0,,,045,-12000,,,100,13000,2,,400,25000,1,/
        16,108,10000,0,trxn_in,flow_trxn_in,In
        16,266,3000,0,trxn_ret,flow_trxn_ret,Back
        16,409,25000,0,trxn_out,flow_trxn_out,Out
        49,52000,5/

        """)
    // Balances as written, signed (0 − 12000 + 0 − 12000), plus the summary (13000 + 25000) and the details
    // (10000 + 3000 + 25000): 52000.
    #expect(totals == BAI2Account.Totals(control: 52000, records: 5))
  }

  /// A zero-amount booked line is a credit everywhere: its 16 record has a credit code, so the 03 record's
  /// credit count includes it (readers check that the 100 and 400 counts add up to the 16 records).
  @Test func aZeroAmountLineCountsAsACredit() throws {
    let (statement, symbols) = try CamtSupport.zeroAndADebit()
    #expect(statement.creditLineCount == 1 && statement.debitLineCount == 1)
    let target = MemoryTarget()
    _ = try BAI2Account.render(statement, symbols: symbols, to: target)
    let records = target.text.split(separator: "\n")
    #expect(records.first?.hasSuffix(",100,0,1,,400,1000,1,/") == true, "\(target.text)")
    #expect(records.dropFirst().first?.hasPrefix("16,399,0,0,trxn_z,") == true, "\(target.text)")
  }
}

/// `BAI2Records.record` as it was, building a `String` per physical record: the oracle for the byte writer.
private func oracleRecord(_ code: String, _ units: [[String]], text: String?) -> [String] {
  var lines: [String] = []
  let limit = BAI2Records.lineLimit
  var line = code
  var first = true
  for unit in units {
    let piece = unit.joined(separator: ",")
    if !first && line.utf8.count + 1 + piece.utf8.count + 1 > limit {
      lines.append(line + "/")
      line = "88"
    }
    line += "," + piece
    first = false
  }
  if let text {
    let firstWord = text.isEmpty ? 1 : text.utf8.prefix { $0 != UInt8(ascii: " ") }.count
    if line.utf8.count + 1 + firstWord > limit {
      lines.append(line + "/")
      line = "88"
    }
  }
  if let text, !text.isEmpty {
    var rest = Substring(text)
    line += ","
    while line.utf8.count + rest.utf8.count > limit {
      let room = limit - line.utf8.count
      guard room > 0, let space = rest.utf8.prefix(room + 1).lastIndex(of: UInt8(ascii: " ")),
        space > rest.startIndex
      else { break }
      lines.append(line + String(rest[..<space]))
      line = "88,"
      rest = rest[rest.index(after: space)...]
    }
    lines.append(line + rest)
  } else if text != nil {
    lines.append(line + ",/")
  } else {
    lines.append(line + "/")
  }
  return lines
}
