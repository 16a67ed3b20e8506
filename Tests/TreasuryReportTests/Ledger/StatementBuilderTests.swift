import Foundation
import Testing

@testable import TreasuryJob
@testable import TreasuryLedger
@_spi(Inlining) @testable import TreasuryModel

private let jan5 = 1_767_571_200  // 2026-01-05T00:00:00Z
private let jan20 = 1_768_867_200  // 2026-01-20T00:00:00Z
private let jan25 = 1_769_299_200
private let jan26 = 1_769_385_600
private let feb2 = 1_769_990_400  // 2026-02-02T00:00:00Z
private let feb10 = 1_770_681_600

/// January: a $100.00 credit, a $25.00 payment created (posted in February), a $10.00 payment cancelled.
/// February: the payment posts and a $5.00 received debit.
private let lines = [
  Lines.transaction("trxn_credit", amount: 10000, created: jan5, posted: jan5, flowType: "received_credit"),
  Lines.entry("trxne_1", transaction: "trxn_credit", at: jan5, cash: 10000, type: "received_credit"),
  Lines.transaction("trxn_pay", amount: -2500, created: jan20, posted: feb2),
  Lines.entry("trxne_2", transaction: "trxn_pay", at: jan20, cash: -2500, outbound: 2500),
  Lines.entry("trxne_3", transaction: "trxn_pay", at: feb2, outbound: -2500, type: "outbound_payment_posting"),
  Lines.transaction("trxn_cancel", amount: -1000, status: "void", created: jan25, void: jan26),
  Lines.entry("trxne_4", transaction: "trxn_cancel", at: jan25, cash: -1000, outbound: 1000),
  Lines.entry(
    "trxne_5", transaction: "trxn_cancel", at: jan26, cash: 1000, outbound: -1000, type: "outbound_payment_cancellation"
  ),
  Lines.transaction("trxn_debit", amount: -500, created: feb10, posted: feb10, flowType: "received_debit"),
  Lines.entry("trxne_6", transaction: "trxn_debit", at: feb10, cash: -500, type: "received_debit"),
]

private func statements(_ lines: [String], includeLines: Bool = true) throws -> ([Statement], LedgerTail, SymbolTable) {
  let (store, invalid) = try readDump(lines.joined(separator: "\n"))
  #expect(invalid.isEmpty)
  let ledger = try #require(store.ledgers().first)
  let calendar = PeriodCalendar(zone: TimeZone(identifier: "UTC")!, interval: .month)
  let periods = calendar.periods(from: Int64(jan5), through: Int64(feb10))
  var result: [Statement] = []
  let tail = try StatementBuilder(includeLines: includeLines).build(
    ledger, periods: periods, symbols: store.symbols, account: "acct_1", header: nil
  ) { result.append($0) }
  return (result, tail, store.symbols)
}

@Suite struct StatementBuilderTests {
  @Test func januaryWorkedByHand() throws {
    let (all, _, symbols) = try statements(lines)
    let jan = all[0]
    #expect(jan.key.period.label == "2026-01")
    #expect(jan.opening == .zero)
    // cash: +100.00 − 25.00 (held) − 10.00 (held) + 10.00 (cancelled) = 75.00; 25.00 still held.
    #expect(jan.closing == SubBalances(cash: 7500, inboundPending: 0, outboundPending: 2500))
    #expect(jan.closing.booked == 10000)
    #expect(jan.credits == 10000 && jan.debits == 0)
    #expect(jan.postedCount == 1 && jan.voidCount == 1 && jan.openCount == 1)
    #expect(jan.isReconciled)
    #expect(jan.bookedLines.map(\.runningBooked) == [10000])
    #expect(jan.pendingLines.map { symbols.string($0.transaction.id) } == ["trxn_pay"])
    #expect(jan.pendingLines.first?.impactAtEnd == SubBalances(cash: -2500, inboundPending: 0, outboundPending: 2500))
    #expect(jan.entryLines.map(\.running.cash) == [10000, 7500, 6500, 7500])
  }

  @Test func februaryWorkedByHand() throws {
    let (all, _, symbols) = try statements(lines)
    let feb = all[1]
    #expect(feb.opening == SubBalances(cash: 7500, inboundPending: 0, outboundPending: 2500))
    // The payment posts (booked −25.00) and a 5.00 debit arrives: booked 100.00 → 70.00.
    #expect(feb.closing == SubBalances(cash: 7000, inboundPending: 0, outboundPending: 0))
    #expect(feb.credits == 0 && feb.debits == 3000)
    #expect(feb.closing.booked - feb.opening.booked == feb.credits - feb.debits)
    #expect(feb.postedCount == 2 && feb.voidCount == 0 && feb.openCount == 0)
    #expect(feb.bookedLines.map { symbols.string($0.transaction.id) } == ["trxn_pay", "trxn_debit"])
    #expect(feb.bookedLines.map(\.runningBooked) == [7500, 7000])
  }

  @Test func aMissingPostingEntryLeavesTheStatementUnreconciled() throws {
    let orphan = Lines.transaction("trxn_orphan", amount: -700, created: feb10, posted: feb10 + 5)
    let (all, _, _) = try statements(lines + [orphan])
    #expect(all[0].isReconciled)
    #expect(!all[1].isReconciled)
    #expect(all[1].debits == 3700)
    #expect(all[1].difference == 700)
  }

  @Test func summaryOnlyStatementsHaveTheSameTotals() throws {
    let full = try statements(lines).0
    let totals = try statements(lines, includeLines: false).0
    #expect(totals.map(\.closing) == full.map(\.closing))
    #expect(totals.map(\.openCount) == full.map(\.openCount))
    #expect(totals.allSatisfy { $0.bookedLines.isEmpty && $0.entryLines.isEmpty })
  }

  @Test func theTailCarriesTheFinalStateAndStillOpenTransactions() throws {
    let open = Lines.transaction("trxn_open", amount: -300, status: "open", created: feb10 + 100)
    let entry = Lines.entry("trxne_9", transaction: "trxn_open", at: feb10 + 100, cash: -300, outbound: 300)
    let (_, tail, _) = try statements(lines + [open, entry])
    #expect(tail.closing == SubBalances(cash: 6700, inboundPending: 0, outboundPending: 300))
    #expect(tail.openCount == 1)
    #expect(tail.pending.map { tail.symbols.string($0.transaction.id) } == ["trxn_open"])
    let later = Period(start: 1_775_000_000, end: 1_777_000_000, label: "later")
    let quiet = tail.statement(for: later, includeLines: true)
    #expect(quiet.opening == quiet.closing && quiet.credits == 0 && quiet.openCount == 1 && quiet.isReconciled)
  }
}

@Suite struct CrossCheckTests {
  @Test func findsEntriesThatDisagreeWithTheirTransaction() throws {
    let bad = [
      Lines.transaction("trxn_a", amount: -1000, created: jan5, posted: jan5 + 10),
      Lines.entry("trxne_a1", transaction: "trxn_a", at: jan5, cash: -1000, outbound: 1000),
      // The posting entry is missing: entries leave 10.00 in outbound_pending.
      Lines.transaction("trxn_b", amount: 500, created: jan5, posted: jan5, flowType: "received_credit"),
      Lines.entry("trxne_c1", transaction: "trxn_c", at: jan5, cash: 20),
    ]
    let (store, _) = try readDump(bad.joined(separator: "\n"))
    let ledger = try #require(store.ledgers().first)
    var reported = ReportedBalances()
    reported.insert(["usd": SubBalances(cash: 1)], of: "fa_1")
    var crossChecks = CrossChecks()
    let failures = crossChecks.run(ledger, symbols: store.symbols, reportedBalances: reported)
    #expect(
      failures.map(\.check) == [
        .entriesMatchImpact, .entriesMatchAmount, .transactionHasEntries, .entryHasTransaction, .reportedBalance,
      ])
    #expect(failures[1].detail == "entries move the booked balance by 0.00; amount says -10.00")
    #expect(failures[2].object == "trxn_b")
    #expect(failures[3].detail == "names transaction trxn_c, which is not in the dump for this account")
  }

  /// One checker reused over every ledger of a store (as the worker does) finds what a fresh one finds, even when
  /// an entry names another ledger's transaction.
  @Test func aReusedCheckerForgetsTheLedgerBefore() throws {
    let lines = [
      Lines.transaction("trxn_a", amount: 100, created: jan5, flowType: "received_credit"),
      Lines.entry("trxne_a", transaction: "trxn_a", at: jan5, cash: 100),
      Lines.transaction("trxn_b", amount: 40, created: jan5, fa: "fa_2", flowType: "received_credit"),
      Lines.entry("trxne_b", transaction: "trxn_b", at: jan5, cash: 40, fa: "fa_2"),
      Lines.entry("trxne_x", transaction: "trxn_a", at: jan5, cash: 7, fa: "fa_2"),
    ]
    let (store, _) = try readDump(lines.joined(separator: "\n"))
    let ledgers = store.ledgers()
    #expect(ledgers.count == 2)
    var reused = CrossChecks()
    for ledger in ledgers {
      var fresh = CrossChecks()
      let expected = fresh.run(ledger, symbols: store.symbols, reportedBalances: ReportedBalances())
      #expect(reused.run(ledger, symbols: store.symbols, reportedBalances: ReportedBalances()) == expected)
    }
    var fresh = CrossChecks()
    let second = fresh.run(ledgers[1], symbols: store.symbols, reportedBalances: ReportedBalances())
    #expect(second.map(\.check) == [.entryHasTransaction])
    #expect(second.first?.object == "trxne_x")
  }

  /// Copies of a financial_account fetched at different times report different balances: every distinct value is
  /// shown once, in a fixed order, so manifest.json is the same in every run (whole or partitioned).
  @Test func differingReportedBalancesGiveTheSameManifestEveryRun() throws {
    let folder = TestSupport.TemporaryFolder()
    let lines = [
      Lines.financialAccount("fa_1", cash: [("usd", 999), ("gbp", 200)]),
      Lines.financialAccount("fa_1", cash: [("usd", 999), ("gbp", 100)]),
      Lines.transaction("trxn_a", amount: 100, flowType: "received_credit"),
      Lines.entry("trxne_a", transaction: "trxn_a", at: 1_767_225_660, cash: 100),
    ]
    folder.write("acct_1Rep/dump.jsonl", lines.joined(separator: "\n") + "\n")
    var manifests: Set<Data> = []
    for run in 0..<6 {
      let out = "out\(run)"
      let result = try TestSupport.run(
        "treasury-report",
        [
          "statements", "acct_1Rep", "--out", out, "--format", "summary", "--partition-threshold-mib",
          run < 3 ? "64" : "0",
        ],
        cwd: folder.path)
      #expect(result.status == 3, "\(result.stderr)")
      let data = try Data(contentsOf: URL(fileURLWithPath: folder.file(out + "/manifest.json")))
      manifests.insert(data)
      let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
      let details = (json["checks"] as? [[String: Any]] ?? []).map { $0["detail"] as? String ?? "" }
      #expect(
        details == [
          "entries add up to cash 1.00, inbound_pending 0.00, outbound_pending 0.00; the financial_account object reports cash 9.99, inbound_pending 0.00, outbound_pending 0.00",
          "the financial_account object reports a gbp balance (cash 1.00; or cash 2.00) but the dump holds no gbp entries for it",
        ])
    }
    #expect(manifests.count == 1)
  }
}
