@_spi(Inlining) import TreasuryModel
import TreasuryRender

/// What one statement file says when read back: rows, totals and whether its running balances chain.
///
/// Fed one CSV record at a time (the header first). A running balance must
/// be the previous one plus the line's amount; the first line's running
/// balance minus its amount is the opening balance the file implies.
struct StatementTally {
  enum Kind: String {
    case transactions, entries, pending, voided

    var header: [String] {
      switch self {
      case .transactions: return TransactionsCSV.header
      case .entries: return EntriesCSV.header
      case .pending: return PendingCSV.header
      case .voided: return VoidedCSV.header
      }
    }

    /// The headers of files earlier versions wrote, read alike (archives outlive versions).
    var earlierHeaders: [[String]] {
      switch self {
      case .transactions: return [TransactionsCSV.headerBeforeImpactNames]
      case .pending: return [PendingCSV.headerBeforeImpactNames]
      case .entries, .voided: return []
      }
    }
  }

  let kind: Kind
  let digits: Int
  var rows = 0
  var credits: Int64 = 0
  var debits: Int64 = 0
  /// Opening balances implied by the first line (nil without lines).
  var impliedOpening: SubBalances?
  var last: SubBalances?
  /// The first problem found in the file (the rest follow from it or are alike).
  var problem: String?
  private var sawHeader = false
  /// Where each amount column this kind reads sits in a row (-1: the kind has no such column), found once
  /// rather than for every cell.
  private let columns: Columns

  private struct Columns {
    let amount, cash, inboundPending, outboundPending: Int
    let runningCash, runningInboundPending, runningOutboundPending, runningBooked: Int

    init(_ header: [String]) {
      func at(_ name: String) -> Int { header.firstIndex(of: name) ?? -1 }
      amount = at("amount")
      cash = at("cash")
      inboundPending = at("inbound_pending")
      outboundPending = at("outbound_pending")
      runningCash = at("running_cash")
      runningInboundPending = at("running_inbound_pending")
      runningOutboundPending = at("running_outbound_pending")
      runningBooked = at("running_booked_balance")
    }
  }

  init(kind: Kind, currency: String) {
    self.kind = kind
    digits = Money.minorDigits(currency: currency)
    columns = Columns(kind.header)
  }

  /// Takes one record given as text.
  mutating func add(_ cells: [String]) { add(CSVReader.Record(cells: cells)) }

  mutating func add(_ record: CSVReader.Record) {
    guard problem == nil else { return }
    if !sawHeader {
      guard record.equals(kind.header) || kind.earlierHeaders.contains(where: { record.equals($0) }) else {
        problem = "its header is not the \(kind.rawValue) header (\(kind.header.joined(separator: ",")))"
        return
      }
      sawHeader = true
      return
    }
    rows += 1
    guard record.count == kind.header.count else {
      problem = "row \(rows) has \(record.count) cells, not \(kind.header.count)"
      return
    }
    switch kind {
    case .transactions: addTransaction(record)
    case .entries: addEntry(record)
    case .pending, .voided: break
    }
  }

  /// The amount in `column`, or nil when it is not written with the currency's decimals or lies beyond any
  /// balance (`Money.balanceLimit`), which bounds every sum and difference below.
  private func amount(_ record: CSVReader.Record, _ index: Int) -> Int64? {
    guard index >= 0, let value = record.withCell(index, { DecimalAmount.parse(bytes: $0, digits: digits) }),
      Money.isBalance(value)
    else { return nil }
    return value
  }

  private mutating func addTransaction(_ record: CSVReader.Record) {
    guard let value = amount(record, columns.amount), let running = amount(record, columns.runningBooked) else {
      problem =
        "row \(rows): amount or running_booked_balance is not an amount with \(digits) decimals or lies beyond any balance"
      return
    }
    var overflow = false
    if value >= 0 {
      (credits, overflow) = credits.addingReportingOverflow(value)
    } else {
      (debits, overflow) = debits.addingReportingOverflow(-value)
    }
    let balance = SubBalances(cash: running)
    if let last {
      guard last.cash &+ value == running, !overflow else {
        problem =
          "row \(rows): running_booked_balance \(text(running)) is not the row before's \(text(last.cash)) plus the amount \(text(value))"
        return
      }
    } else {
      impliedOpening = SubBalances(cash: running &- value)
    }
    last = balance
  }

  private mutating func addEntry(_ record: CSVReader.Record) {
    guard let cash = amount(record, columns.cash), let inbound = amount(record, columns.inboundPending),
      let outbound = amount(record, columns.outboundPending), let runningCash = amount(record, columns.runningCash),
      let runningInbound = amount(record, columns.runningInboundPending),
      let runningOutbound = amount(record, columns.runningOutboundPending),
      let booked = amount(record, columns.runningBooked)
    else {
      problem = "row \(rows): an amount is not written with \(digits) decimals or lies beyond any balance"
      return
    }
    let impact = SubBalances(cash: cash, inboundPending: inbound, outboundPending: outbound)
    let now = SubBalances(cash: runningCash, inboundPending: runningInbound, outboundPending: runningOutbound)
    guard now.cash &+ now.inboundPending &+ now.outboundPending == booked else {
      problem = "row \(rows): running_booked_balance \(text(booked)) is not the sum of the running sub-balances"
      return
    }
    guard let before = now.subtracting(impact) else {
      problem = "row \(rows): the running sub-balances minus this entry's impact lie beyond any balance"
      return
    }
    if let last {
      guard last == before else {
        problem = "row \(rows): the running sub-balances are not the row before's plus this entry's impact"
        return
      }
    } else {
      impliedOpening = before
    }
    last = now
  }

  func text(_ minor: Int64) -> String { DecimalAmount.string(minor, digits: digits) }
}
