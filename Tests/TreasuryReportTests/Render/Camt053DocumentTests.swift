import Foundation
import Testing

@testable import TreasuryJob
@testable import TreasuryLedger
@_spi(Inlining) @testable import TreasuryModel
@testable import TreasuryRender

private let mar1: Int64 = 1_772_323_200  // 2026-03-01T00:00:00Z
private let mar5: Int64 = 1_772_668_800  // 2026-03-05T00:00:00Z
private let mar10: Int64 = 1_773_100_800
private let mar20: Int64 = 1_773_964_800
private let apr1: Int64 = 1_775_001_600  // 2026-04-01T00:00:00Z
private let may10: Int64 = 1_778_371_200  // 2026-05-10T00:00:00Z

private let stmt = "Document/BkToCstmrStmt/Stmt"

/// March: +100.00 received, −30.00 paid, −5.00 debited; a −12.00 payment still open at the end.
private func march(description: String = "Invoice 42") -> [String] {
  [
    financialAccountLine(),
    Lines.transaction(
      "trxn_in", amount: 10000, created: Int(mar5), posted: Int(mar5), description: description,
      flowType: "received_credit"),
    Lines.entry("trxne_1", transaction: "trxn_in", at: Int(mar5), cash: 10000, type: "received_credit"),
    Lines.transaction("trxn_pay", amount: -3000, created: Int(mar10), posted: Int(mar10)),
    Lines.entry("trxne_2", transaction: "trxn_pay", at: Int(mar10), cash: -3000),
    Lines.transaction(
      "trxn_debit", amount: -500, created: Int(mar10) + 60, posted: Int(mar10) + 60, flowType: "received_debit"),
    Lines.entry("trxne_3", transaction: "trxn_debit", at: Int(mar10) + 60, cash: -500, type: "received_debit"),
    Lines.transaction("trxn_open", amount: -1200, status: "open", created: Int(mar20), description: "Payroll"),
    Lines.entry("trxne_4", transaction: "trxn_open", at: Int(mar20), cash: -1200, outbound: 1200),
  ]
}

@Suite struct Camt053DocumentTests {
  private func marchStatement(description: String = "Invoice 42") throws -> (Statement, SymbolTable) {
    let (statements, symbols) = try CamtSupport.statements(march(description: description), from: mar1, through: mar20)
    return (try #require(statements.first), symbols)
  }

  @Test(arguments: Camt053Version.allCases)
  func aStatementIsValidAndSaysWhatTheLedgerSays(version: Camt053Version) throws {
    let (statement, symbols) = try marchStatement()
    let bytes = try CamtSupport.render(statement, symbols, version: version)
    #expect(try CamtSupport.problems(bytes: bytes) == [])
    let texts = { (path: String) in try CamtSupport.texts(bytes, path) }
    #expect(try texts("\(stmt)/Acct/Id/Othr/Id") == ["fa_1"])
    #expect(try texts("\(stmt)/Acct/Ccy") == ["USD"])
    #expect(try texts("\(stmt)/Acct/Nm") == ["Acme Corp"])
    #expect(try texts("\(stmt)/Acct/Svcr/FinInstnId/ClrSysMmbId/ClrSysId/Cd") == ["USABA"])
    #expect(try texts("\(stmt)/Acct/Svcr/FinInstnId/ClrSysMmbId/MmbId") == ["084106768"])
    #expect(try texts("\(stmt)/Acct/Svcr/FinInstnId/Nm") == ["Evolve Bank & Trust"])
    #expect(try texts("\(stmt)/Bal/Tp/CdOrPrtry/Cd") == ["OPBD", "OPAV", "CLBD", "CLAV"])
    // Booked: 100.00 − 30.00 − 5.00 = 65.00; available: 65.00 − 12.00 held = 53.00.
    #expect(try texts("\(stmt)/Bal/Amt") == ["0.00", "0.00", "65.00", "53.00"])
    #expect(try texts("\(stmt)/FrToDt/FrDtTm") == ["2026-03-01T00:00:00+00:00"])
    #expect(try texts("\(stmt)/FrToDt/ToDtTm") == ["2026-03-31T23:59:59+00:00"])
    #expect(try texts("\(stmt)/TxsSummry/TtlNtries/NbOfNtries") == ["3"])
    #expect(try texts("\(stmt)/TxsSummry/TtlNtries/Sum") == ["135.00"])
    #expect(try texts("\(stmt)/TxsSummry/TtlCdtNtries/Sum") == ["100.00"])
    #expect(try texts("\(stmt)/TxsSummry/TtlDbtNtries/NbOfNtries") == ["2"])
    #expect(try texts("\(stmt)/Ntry/Amt") == ["100.00", "30.00", "5.00"])
    #expect(try texts("\(stmt)/Ntry/CdtDbtInd") == ["CRDT", "DBIT", "DBIT"])
    #expect(try texts("\(stmt)/Ntry/AcctSvcrRef") == ["trxn_in", "trxn_pay", "trxn_debit"])
    #expect(try texts("\(stmt)/Ntry/BookgDt/Dt") == ["2026-03-05", "2026-03-10", "2026-03-10"])
    #expect(try texts("\(stmt)/Ntry/BkTxCd/Domn/Fmly/Cd") == ["RCDT", "ICDT", "RDDT"])
    #expect(try texts("\(stmt)/Ntry/BkTxCd/Prtry/Cd") == ["received_credit", "outbound_payment", "received_debit"])
    #expect(
      try texts("\(stmt)/Ntry/NtryDtls/TxDtls/Refs/AcctSvcrRef") == [
        "flow_trxn_in", "flow_trxn_pay", "flow_trxn_debit",
      ])
    #expect(try texts("\(stmt)/Ntry/AddtlNtryInf") == ["Invoice 42", "d", "d"])
    if version == .v02 {
      #expect(try texts("\(stmt)/Ntry/Sts") == ["BOOK", "BOOK", "BOOK"])
      #expect(try texts("\(stmt)/TxsSummry/TtlNtries/TtlNetNtryAmt") == ["65.00"])
    } else {
      #expect(try texts("\(stmt)/Ntry/Sts/Cd") == ["BOOK", "BOOK", "BOOK"])
      #expect(try texts("\(stmt)/TxsSummry/TtlNtries/TtlNetNtry/Amt") == ["65.00"])
      #expect(try texts("\(stmt)/Ntry/NtryDtls/TxDtls/Amt") == ["100.00", "30.00", "5.00"])
    }
  }

  /// Descriptions that break naive writers: markup characters, emoji, control characters, 600 characters.
  @Test(arguments: [
    (#"Fish & Chips <Ltd> \"quoted\" 'single' ]]>"#, "Fish & Chips <Ltd> \"quoted\" 'single' ]]>"),
    ("Rent 💸 for 👩‍👩‍👧‍👦 — café", "Rent 💸 for 👩‍👩‍👧‍👦 — café"),
    (
      #"bell\u0007 esc\u001b[31m nul\u0000 del\u007f nel\u0085 end"#,
      "bell\u{FFFD} esc\u{FFFD}[31m nul\u{FFFD} del\u{FFFD} nel\u{FFFD} end"
    ),
    (#"line 1\r\nline 2\ttab"#, "line 1\r\nline 2\ttab"),
    (String(repeating: "x", count: 600), String(repeating: "x", count: 500)),
    (String(repeating: "y", count: 495) + "👩‍👩‍👧‍👦" + String(repeating: "z", count: 98), String(repeating: "y", count: 495)),
  ])
  func awkwardDescriptionsStayValid(json: String, expected: String) throws {
    let (statement, symbols) = try marchStatement(description: json)
    for version in Camt053Version.allCases {
      let bytes = try CamtSupport.render(statement, symbols, version: version)
      #expect(try CamtSupport.problems(bytes: bytes) == [])
      #expect(try CamtSupport.texts(bytes, "\(stmt)/Ntry/AddtlNtryInf").first == expected)
    }
  }

  @Test func anEmptyPeriodHasNoEntriesAndEqualBalances() throws {
    // April and May: nothing happens after March.
    let (statements, symbols) = try CamtSupport.statements(march(), from: mar1, through: may10)
    #expect(statements.count == 3)
    let may = statements[2]
    #expect(may.key.period.label == "2026-05" && may.bookedLines.isEmpty)
    for version in Camt053Version.allCases {
      let bytes = try CamtSupport.render(may, symbols, version: version)
      #expect(try CamtSupport.problems(bytes: bytes) == [])
      #expect(try CamtSupport.texts(bytes, "\(stmt)/Ntry").isEmpty)
      #expect(try CamtSupport.texts(bytes, "\(stmt)/Bal/Amt") == ["65.00", "53.00", "65.00", "53.00"])
      #expect(try CamtSupport.texts(bytes, "\(stmt)/TxsSummry/TtlNtries/NbOfNtries") == ["0"])
      #expect(try CamtSupport.texts(bytes, "\(stmt)/TxsSummry/TtlNtries/Sum") == ["0.00"])
    }
  }

  @Test func negativeBalancesAreDebits() throws {
    let lines = [
      Lines.transaction("trxn_debit", amount: -4321, created: Int(mar5), posted: Int(mar5), flowType: "received_debit"),
      Lines.entry("trxne_1", transaction: "trxn_debit", at: Int(mar5), cash: -4321, type: "received_debit"),
    ]
    let (statements, symbols) = try CamtSupport.statements(lines, from: mar1, through: apr1)
    #expect(statements.count == 2)
    for version in Camt053Version.allCases {
      let april = try CamtSupport.render(statements[1], symbols, version: version)
      #expect(try CamtSupport.problems(bytes: april) == [])
      #expect(try CamtSupport.texts(april, "\(stmt)/Bal/Amt") == ["43.21", "43.21", "43.21", "43.21"])
      #expect(try CamtSupport.texts(april, "\(stmt)/Bal/CdtDbtInd") == ["DBIT", "DBIT", "DBIT", "DBIT"])
      let march = try CamtSupport.render(statements[0], symbols, version: version)
      #expect(try CamtSupport.texts(march, "\(stmt)/Bal/CdtDbtInd") == ["CRDT", "CRDT", "DBIT", "DBIT"])
      // No Acct/Nm or Svcr without a financial_account object.
      #expect(try CamtSupport.texts(march, "\(stmt)/Acct/Nm").isEmpty)
      #expect(try CamtSupport.texts(march, "\(stmt)/Acct/Svcr/FinInstnId").isEmpty)
    }
  }

  @Test(arguments: Camt053Version.allCases)
  func pendingTransactionsAreOptionalPDNGEntriesOutsideTheTotals(version: Camt053Version) throws {
    let (statement, symbols) = try marchStatement()
    let without = try CamtSupport.render(statement, symbols, version: version)
    #expect(try CamtSupport.texts(without, "\(stmt)/Ntry/AcctSvcrRef") == ["trxn_in", "trxn_pay", "trxn_debit"])
    let with = try CamtSupport.render(statement, symbols, version: version, pending: true)
    #expect(try CamtSupport.problems(bytes: with) == [])
    #expect(
      try CamtSupport.texts(with, "\(stmt)/Ntry/AcctSvcrRef") == ["trxn_in", "trxn_pay", "trxn_debit", "trxn_open"])
    let status = version == .v02 ? "\(stmt)/Ntry/Sts" : "\(stmt)/Ntry/Sts/Cd"
    #expect(try CamtSupport.texts(with, status) == ["BOOK", "BOOK", "BOOK", "PDNG"])
    // The totals and balances are the same with or without the pending entry.
    for path in ["\(stmt)/TxsSummry/TtlNtries/NbOfNtries", "\(stmt)/TxsSummry/TtlNtries/Sum", "\(stmt)/Bal/Amt"] {
      #expect(try CamtSupport.texts(with, path) == CamtSupport.texts(without, path))
    }
    // A pending entry has no booking date; its value date is its creation date.
    #expect(try CamtSupport.texts(with, "\(stmt)/Ntry/BookgDt/Dt").count == 3)
    #expect(try CamtSupport.texts(with, "\(stmt)/Ntry/ValDt/Dt").last == "2026-03-20")
    #expect(try CamtSupport.texts(with, "\(stmt)/AddtlStmtInf").first?.contains("PDNG") == true)
  }

  @Test func creationTimeIsThePeriodsEndOrTheAsOfTime() throws {
    let (statement, symbols) = try marchStatement()
    // Data as of May: March had ended, so its document is dated at its end.
    let closed = try CamtSupport.render(statement, symbols, asOf: may10)
    #expect(try CamtSupport.texts(closed, "Document/BkToCstmrStmt/GrpHdr/CreDtTm") == ["2026-04-01T00:00:00+00:00"])
    // Data as of March 20: an interim statement dated then.
    let open = try CamtSupport.render(statement, symbols, asOf: mar20)
    #expect(try CamtSupport.texts(open, "Document/BkToCstmrStmt/GrpHdr/CreDtTm") == ["2026-03-20T00:00:00+00:00"])
    #expect(try CamtSupport.texts(open, "\(stmt)/CreDtTm") == ["2026-03-20T00:00:00+00:00"])
    // In the statement's zone, with its offset.
    let newYork = try CamtSupport.render(statement, symbols, asOf: may10, zone: "America/New_York")
    #expect(try CamtSupport.texts(newYork, "Document/BkToCstmrStmt/GrpHdr/CreDtTm") == ["2026-03-31T20:00:00-04:00"])
  }

  @Test func identifiersAreShortUniqueAndDeterministic() throws {
    let (statement, symbols) = try marchStatement()
    let msgID = { (bytes: [UInt8]) in try CamtSupport.texts(bytes, "Document/BkToCstmrStmt/GrpHdr/MsgId").first ?? "" }
    let a = try CamtSupport.render(statement, symbols, asOf: may10)
    let b = try CamtSupport.render(statement, symbols, asOf: may10)
    #expect(a == b)
    let id = try msgID(a)
    #expect(id.count <= 35 && id.hasPrefix("TR"))
    #expect(try msgID(CamtSupport.render(statement, symbols, version: .v08, asOf: may10)) != id)
    #expect(try msgID(CamtSupport.render(statement, symbols, asOf: mar20)) != id)
    let (changed, changedSymbols) = try marchStatement(description: "Invoice 43")
    #expect(try msgID(CamtSupport.render(changed, changedSymbols, asOf: may10)) != id)
    #expect(try CamtSupport.texts(a, "\(stmt)/Id").first?.hasPrefix("2026-03-") == true)
    #expect(try CamtSupport.texts(a, "\(stmt)/ElctrncSeqNb") == ["202603"])
    // The longest label, a range, still fits Max35Text.
    let calendar = PeriodCalendar(zone: TimeZone(identifier: "UTC")!, interval: .range)
    let range = calendar.range(
      from: CivilDate(year: 2026, month: 1, day: 15), to: CivilDate(year: 2026, month: 2, day: 15))
    var ranged = statement
    ranged.key.period = range
    let rangedBytes = try CamtSupport.render(ranged, symbols)
    #expect(try CamtSupport.texts(rangedBytes, "\(stmt)/Id").first?.count == 35)
    #expect(try CamtSupport.texts(rangedBytes, "\(stmt)/ElctrncSeqNb") == ["2026011520260215"])
  }

  @Test func longOrOddAccountDetailsAreCutOrLeftOut() throws {
    let holder = String(repeating: "H", count: 80)
    let lines = [financialAccountLine(holder: holder, routing: "12345")] + Array(march().dropFirst())
    let (statements, symbols) = try CamtSupport.statements(lines, from: mar1, through: mar20)
    let bytes = try CamtSupport.render(try #require(statements.first), symbols)
    #expect(try CamtSupport.problems(bytes: bytes) == [])
    #expect(try CamtSupport.texts(bytes, "\(stmt)/Acct/Nm") == [String(repeating: "H", count: 70)])
    // Not nine digits: not claimed as an ABA routing number; the bank's name stays.
    #expect(try CamtSupport.texts(bytes, "\(stmt)/Acct/Svcr/FinInstnId/ClrSysMmbId/MmbId").isEmpty)
    #expect(try CamtSupport.texts(bytes, "\(stmt)/Acct/Svcr/FinInstnId/Nm") == ["Evolve Bank & Trust"])
  }

  @Test func anUnreconciledStatementSaysSo() throws {
    var (statement, symbols) = try marchStatement()
    statement.credits += 100  // as if a posting's entry were missing from the dump
    let bytes = try CamtSupport.render(statement, symbols)
    let note = try CamtSupport.texts(bytes, "\(stmt)/AddtlStmtInf").first ?? ""
    #expect(note.contains("Does not reconcile") && note.contains("-1.00 USD"))
  }

  @Test func otherCurrenciesUseTheirOwnDecimalsAndFileNames() throws {
    let lines = march().dropFirst().map { $0.replacingOccurrences(of: "\"usd\"", with: "\"jpy\"") }
    let (statements, symbols) = try CamtSupport.statements(Array(lines), from: mar1, through: mar20)
    let statement = try #require(statements.first)
    #expect(
      StatementPaths.file(statement.key, Camt053Version.v08.fileStem, "xml")
        == "2026-03/fa_1/statement.camt053.08.jpy.xml")
    for version in Camt053Version.allCases {
      let bytes = try CamtSupport.render(statement, symbols, version: version)
      #expect(try CamtSupport.problems(bytes: bytes) == [])
      #expect(try CamtSupport.texts(bytes, "\(stmt)/Acct/Ccy") == ["JPY"])
      #expect(try CamtSupport.texts(bytes, "\(stmt)/Ntry/Amt") == ["10000", "3000", "500"])
    }
  }

  @Test func asOfTimesReadAsISO8601OrADate() throws {
    let calendar = PeriodCalendar(zone: try #require(TimeZone(identifier: "America/New_York")), interval: .month)
    #expect(AsOfTime.parse("2026-03-20T00:00:00Z", calendar: calendar) == mar20)
    #expect(AsOfTime.parse("2026-03-19T20:00:00-04:00", calendar: calendar) == mar20)
    #expect(AsOfTime.parse("2026-03-20T05:30:00+05:30", calendar: calendar) == mar20)
    // A date is its midnight in the run's zone (EDT on March 20).
    #expect(AsOfTime.parse("2026-03-20", calendar: calendar) == mar20 + 4 * 3600)
    for bad in ["2026-03-20T00:00:00", "2026-03-20 00:00:00Z", "2026-03-20T24:00:00Z", "2026-02-30", "yesterday"] {
      #expect(AsOfTime.parse(bad, calendar: calendar) == nil, "\(bad)")
    }
  }

  @Test func anAmountBeyondEighteenDigitsIsRefused() throws {
    var (statement, symbols) = try marchStatement()
    statement.closing.cash = 1_000_000_000_000_000_000
    // A data problem, not an output failure: the run makes it exit 2 (LargeTotalsAttackTests).
    let error = #expect(throws: RenderError.self) { try CamtSupport.render(statement, symbols) }
    guard case .unrepresentable? = error else {
      Issue.record("expected RenderError.unrepresentable, got \(String(describing: error))")
      return
    }
  }
}

@Suite struct BankTransactionCodeTests {
  @Test(arguments: [
    ("received_credit", 1, "PMNT/RCDT/DMCT"), ("credit_reversal", -1, "PMNT/RCDT/RRTN"),
    ("received_debit", -1, "PMNT/RDDT/PMDD"), ("debit_reversal", 1, "PMNT/RDDT/UPDD"),
    ("inbound_transfer", 1, "PMNT/RCCN/COAT"), ("inbound_transfer", -1, "PMNT/IDDT/UPDD"),
    ("outbound_transfer", -1, "PMNT/ICCN/COAT"), ("outbound_transfer", 1, "PMNT/ICDT/RRTN"),
    ("outbound_payment", -1, "PMNT/ICDT/DMCT"), ("outbound_payment", 1, "PMNT/ICDT/RRTN"),
    ("issuing_authorization", -1, "PMNT/CCRD/POSD"), ("interest_payout", 1, "ACMT/MCOP/INTR"),
    ("other", 1, "PMNT/MCOP/OTHR"), ("a_flow_stripe_adds_later", -1, "PMNT/MDOP/OTHR"),
  ])
  func flowTypesMapToISOCodes(flowType: String, sign: Int64, code: String) {
    #expect(BankTransactionCode.code(flowType: flowType, amount: sign * 100).description == code)
  }
}
