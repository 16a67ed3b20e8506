import TreasuryInput
import TreasuryLedger
@_spi(Inlining) import TreasuryModel
import TreasuryRender

/// What a folder's or an archive's statement files say, gathered as they stream past, and the checks that tie
/// them together.
///
/// For every summary row: closing booked − opening booked = credits − debits
/// (or the row says it does not reconcile); the statement's transactions.csv
/// has `posted_count` lines summing to its credits and debits, with running
/// balances that start from the opening booked balance; entries.csv runs from
/// the opening to the closing sub-balances; pending.csv and voided.csv hold
/// `open_count` and `void_count` lines.
final class StatementEvidence {
  /// A statement as both the summary and the file paths can name it: the period by the local date it starts.
  struct StatementID: Hashable, Comparable {
    var start: String
    var financialAccount: String
    var currency: String

    static func < (a: Self, b: Self) -> Bool {
      (a.start, a.financialAccount, a.currency) < (b.start, b.financialAccount, b.currency)
    }

    var name: String { "\(financialAccount) \(currency) from \(start)" }
  }

  struct SummaryRow {
    var id: StatementID
    var cells: [String: String]
    var opening: SubBalances
    var closing: SubBalances
    var credits: Int64
    var debits: Int64
    var posted: Int
    var voided: Int
    var open: Int
    var reconciled: Bool
    var location: String
  }

  private(set) var report = VerifyReport()
  private(set) var summary: [StatementID: SummaryRow] = [:]
  private(set) var tallies: [StatementID: [StatementTally.Kind: (tally: StatementTally, location: String)]] = [:]
  /// The summary's header once read: the current one, or that of files written before its booked and
  /// available columns.
  private var summaryHeader: [String]?
  /// Set when a summary was read to its end; without one, statements cannot be checked.
  private(set) var summaryComplete = false

  /// A reader for the content of the file or member at `path` (relative, without `.gz`).
  func reader(for path: String, location: String) -> ContentReader {
    let parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
    guard let name = parts.last, name.hasSuffix(".csv") || name.hasSuffix(".jsonl") else {
      return ContentReader(location: location, role: .plain, evidence: self)
    }
    if name.hasSuffix(".jsonl") {
      return ContentReader(location: location, role: .csv, evidence: self, jsonLines: true)
    }
    if name == "summary.csv" && parts.count <= 2 {
      return ContentReader(location: location, role: .summary, evidence: self)
    }
    if parts.count == 3, let (kind, currency) = Self.statementCSV(name), let start = Self.startDate(label: parts[0]) {
      let id = StatementID(start: start, financialAccount: parts[1], currency: currency)
      return ContentReader(
        location: location, role: .statement(id, StatementTally(kind: kind, currency: currency)), evidence: self)
    }
    // Another CSV in a statement's folder is a profile export (transactions.quickbooks.csv) in a dialect of
    // its own (delimiter, line ending): its bytes are checked, not its rows.
    if parts.count == 3 { return ContentReader(location: location, role: .plain, evidence: self) }
    return ContentReader(location: location, role: .csv, evidence: self)
  }

  /// The kind and currency of one of a statement's own CSV files: `KIND.csv` (USD) or `KIND.CCY.csv`, where
  /// CCY is three lowercase letters (a profile name never is).
  static func statementCSV(_ name: String) -> (kind: StatementTally.Kind, currency: String)? {
    guard name.hasSuffix(".csv") else { return nil }
    let stem = name.dropLast(4).split(separator: ".", omittingEmptySubsequences: false)
    guard let kind = StatementTally.Kind(rawValue: String(stem[0])) else { return nil }
    if stem.count == 1 { return (kind, "usd") }
    let code = stem[1].utf8
    guard stem.count == 2, code.count == 3, code.allSatisfy({ $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") })
    else { return nil }
    return (kind, String(stem[1]))
  }

  /// The local date a period label's period starts on (`2026-03` → `2026-03-01`).
  static func startDate(label: String) -> String? {
    if let range = label.range(of: "--") {
      return CivilDate(iso: String(label[..<range.lowerBound])).map(\.iso)
    }
    return PeriodCalendar.parse(label: label)?.first.iso
  }

  func add(_ kind: VerifyReport.Finding.Kind, _ location: String, _ message: String) {
    report.add(kind, location, message)
  }

  func collect(_ tally: StatementTally, id: StatementID, location: String) {
    if let problem = tally.problem { add(.mismatch, location, problem) }
    if tallies[id, default: [:]][tally.kind] != nil {
      add(.mismatch, location, "a second \(tally.kind.rawValue) file for statement \(id.name)")
    }
    tallies[id, default: [:]][tally.kind] = (tally, location)
  }

  func addSummary(_ record: [String], row: Int, location: String) {
    guard let header = summaryHeader else {
      guard record == SummaryCSV.header || record == SummaryCSV.headerWithoutTotals else {
        add(.mismatch, location, "its header is not the summary header (\(SummaryCSV.header.joined(separator: ",")))")
        summaryHeader = SummaryCSV.header
        return
      }
      summaryHeader = record
      return
    }
    let at = "\(location) row \(row)"
    guard record.count == header.count else {
      return add(.mismatch, at, "has \(record.count) cells, not \(header.count)")
    }
    let cells = Dictionary(uniqueKeysWithValues: zip(header, record))
    let currency = cells["currency"] ?? ""
    let digits = Money.minorDigits(currency: currency)
    var bad: [String] = []
    // Amounts beyond any balance the tool writes are unreadable: their sums could not be formed.
    func amount(_ name: String) -> Int64 {
      guard let value = DecimalAmount.parse(cells[name] ?? "", digits: digits), Money.isBalance(value) else {
        bad.append(name)
        return 0
      }
      return value
    }
    func count(_ name: String) -> Int {
      guard let text = cells[name], let value = Int(text), value >= 0 else {
        bad.append(name)
        return 0
      }
      return value
    }
    let start = String((cells["period_start"] ?? "").prefix(10))
    if CivilDate(iso: start) == nil { bad.append("period_start") }
    let reconciled = cells["reconciled"]
    if reconciled != "true" && reconciled != "false" { bad.append("reconciled") }
    let row = SummaryRow(
      id: StatementID(start: start, financialAccount: cells["financial_account"] ?? "", currency: currency),
      cells: cells,
      opening: SubBalances(
        cash: amount("opening_cash"), inboundPending: amount("opening_inbound_pending"),
        outboundPending: amount("opening_outbound_pending")),
      closing: SubBalances(
        cash: amount("closing_cash"), inboundPending: amount("closing_inbound_pending"),
        outboundPending: amount("closing_outbound_pending")),
      credits: amount("credits"), debits: amount("debits"), posted: count("posted_count"),
      voided: count("void_count"), open: count("open_count"), reconciled: reconciled == "true", location: at)
    guard bad.isEmpty else {
      return add(
        .mismatch, at,
        "cannot read \(bad.joined(separator: ", ")) (amounts need \(digits) decimals and lie within ±2^61 minor units)")
    }
    if header == SummaryCSV.header {
      let totals = [
        ("opening_booked", row.opening.booked), ("opening_available", row.opening.available),
        ("closing_booked", row.closing.booked), ("closing_available", row.closing.available),
      ]
      let differing = totals.filter { DecimalAmount.parse(cells[$0.0] ?? "", digits: digits) != $0.1 }.map(\.0)
      if !differing.isEmpty {
        return add(
          .mismatch, at,
          "\(differing.joined(separator: ", ")) is not the sum of its sub-balances (booked: cash + inbound_pending + outbound_pending; available: cash)"
        )
      }
      if Self.startDate(label: cells["period"] ?? "") != start {
        return add(.mismatch, at, "period '\(cells["period"] ?? "")' is not a period label that starts on \(start)")
      }
    }
    guard summary[row.id] == nil else {
      return add(.mismatch, at, "a second row for statement \(row.id.name)")
    }
    summary[row.id] = row
  }

  func summaryRead() { summaryComplete = true }

  /// What reading one file gathered, so that files can be read in parallel and absorbed in file order.
  struct Gathered: Sendable {
    var report: VerifyReport
    var summary: [SummaryRow]
    var summaryComplete: Bool
    var tallies: [(id: StatementID, kind: StatementTally.Kind, tally: StatementTally, location: String)]
  }

  var gathered: Gathered {
    Gathered(
      report: report, summary: summary.values.sorted { $0.id < $1.id },
      summaryComplete: summaryComplete,
      tallies: tallies.keys.sorted().flatMap { id in
        (tallies[id] ?? [:]).sorted { $0.key.rawValue < $1.key.rawValue }.map {
          (id, $0.key, $0.value.tally, $0.value.location)
        }
      })
  }

  /// Takes in another file's evidence as if its rows had been read here, second rows and files included.
  func absorb(_ other: Gathered) {
    report.mergeFindings(of: other.report)
    for row in other.summary {
      if summary[row.id] != nil {
        add(.mismatch, row.location, "a second row for statement \(row.id.name)")
      } else {
        summary[row.id] = row
      }
    }
    if other.summaryComplete { summaryComplete = true }
    for entry in other.tallies {
      if tallies[entry.id, default: [:]][entry.kind] != nil {
        add(.mismatch, entry.location, "a second \(entry.kind.rawValue) file for statement \(entry.id.name)")
      }
      tallies[entry.id, default: [:]][entry.kind] = (entry.tally, entry.location)
    }
  }

  /// Checks every statement; `requireFiles` when the run wrote statement files (`--format csv`).
  ///
  /// Returns the findings, with `statements` set to the number of summary rows.
  /// Without a summary read in full, reports that once at `location` (the
  /// summary's own fault is reported where it was found).
  func check(requireFiles: Bool, location: String) -> VerifyReport {
    var result = report
    guard summaryComplete else {
      result.add(.mismatch, location, "no summary.csv could be read, so no statement was checked")
      return result
    }
    result.statements = summary.count
    for id in summary.keys.sorted() {
      guard let row = summary[id] else { continue }
      let files = tallies[id] ?? [:]
      let digits = Money.minorDigits(currency: id.currency)
      let money = { (minor: Int64) in DecimalAmount.string(minor, digits: digits) }
      let net = row.closing.booked &- row.opening.booked
      let posted = row.credits &- row.debits
      if row.reconciled && net != posted {
        result.add(
          .mismatch, row.location,
          "statement \(id.name) is marked reconciled, but closing − opening booked is \(money(net)) while credits − debits is \(money(posted))"
        )
      } else if !row.reconciled && net == posted {
        result.add(.mismatch, row.location, "statement \(id.name) is marked not reconciled, but it does reconcile")
      } else if !row.reconciled {
        result.add(
          .unreconciled, row.location,
          "statement \(id.name) does not reconcile: closing − opening booked is \(money(net)), credits − debits is \(money(posted)) (difference \(money(net &- posted)))"
        )
      }

      if let (tally, location) = files[.transactions] {
        if tally.problem == nil {
          let recomputed = tally.credits &- tally.debits
          if tally.rows != row.posted || tally.credits != row.credits || tally.debits != row.debits {
            result.add(
              .mismatch, location,
              "\(tally.rows.counted("line")) with credits \(money(tally.credits)) and debits \(money(tally.debits)); the summary says \(row.posted.counted("line")), credits \(money(row.credits)), debits \(money(row.debits))"
            )
          } else if row.reconciled && net != recomputed {
            result.add(
              .mismatch, location,
              "closing − opening booked is \(money(net)) but these lines sum to \(money(recomputed))")
          }
          if let opening = tally.impliedOpening, opening.cash != row.opening.booked {
            result.add(
              .mismatch, location,
              "the running balance starts from \(money(opening.cash)), not the opening booked balance \(money(row.opening.booked))"
            )
          }
        }
      } else if requireFiles {
        result.add(.mismatch, row.location, "statement \(id.name) has no transactions file")
      }

      if let (tally, location) = files[.entries] {
        if tally.problem == nil {
          let opening = tally.impliedOpening ?? row.opening
          let closing = tally.last ?? row.opening
          if opening != row.opening || closing != row.closing {
            result.add(
              .mismatch, location,
              "the entries run from booked \(money(opening.booked)) to \(money(closing.booked)) (cash \(money(opening.cash)) to \(money(closing.cash))); the summary says \(money(row.opening.booked)) to \(money(row.closing.booked)) (cash \(money(row.opening.cash)) to \(money(row.closing.cash)))"
            )
          }
        }
      } else if requireFiles {
        result.add(.mismatch, row.location, "statement \(id.name) has no entries file")
      }

      for (kind, expected) in [(StatementTally.Kind.pending, row.open), (.voided, row.voided)] {
        guard let (tally, location) = files[kind] else {
          if requireFiles && kind == .pending {
            result.add(.mismatch, row.location, "statement \(id.name) has no pending file")
          }
          continue
        }
        if tally.problem == nil && tally.rows != expected {
          result.add(
            .mismatch, location,
            "\(tally.rows.counted("line")), but the summary counts \(expected.counted("\(kind.rawValue) transaction"))"
          )
        }
      }
    }
    for id in tallies.keys.sorted() where summary[id] == nil {
      for (_, entry) in (tallies[id] ?? [:]).sorted(by: { $0.value.location < $1.value.location }) {
        result.add(.mismatch, entry.location, "no summary row for statement \(id.name)")
      }
    }
    return result
  }
}

/// Reads one file's content as it streams: counts its rows and hands CSV records to the statement checks.
final class ContentReader {
  enum Role {
    /// Not a CSV or JSON-lines file (manifest.json): bytes only.
    case plain
    /// Some other CSV (accounts.csv) or JSON lines (rejects.jsonl): rows only.
    case csv
    case summary
    case statement(StatementEvidence.StatementID, StatementTally)
  }

  let location: String
  private var role: Role
  private unowned let evidence: StatementEvidence
  private var csv = CSVReader()
  private var records = 0
  private let jsonLines: Bool
  private var newlines = 0
  private var endsWithNewline = true

  init(location: String, role: Role, evidence: StatementEvidence, jsonLines: Bool = false) {
    self.location = location
    self.role = role
    self.evidence = evidence
    self.jsonLines = jsonLines
  }

  func feed(_ bytes: UnsafeRawBufferPointer) {
    guard !bytes.isEmpty else { return }
    if case .plain = role { return }
    if jsonLines {
      newlines += FileRange.newlines(in: bytes)
      endsWithNewline = bytes.last == 0x0A
      return
    }
    csv.feedRecords(bytes) { record in self.take(record) }
  }

  /// Ends the content; returns its data rows (nil for a plain file).
  func finish() -> Int? {
    if case .plain = role { return nil }
    if jsonLines { return newlines + (endsWithNewline ? 0 : 1) }
    csv.finishRecords { record in self.take(record) }
    // A record past the reader's limits: the file is reported there, and its rows are unknown.
    if let overflow = csv.overLimit {
      if case .statement(let id, var tally) = role {
        tally.problem = overflow.message
        evidence.collect(tally, id: id, location: location)
      } else {
        evidence.add(.mismatch, location, overflow.message)
      }
      return nil
    }
    if let bad = csv.malformedRecord {
      evidence.add(.mismatch, location, "record \(bad) is not well-formed CSV")
    }
    if case .statement(let id, let tally) = role { evidence.collect(tally, id: id, location: location) }
    if case .summary = role { evidence.summaryRead() }
    return max(0, records - 1)
  }

  private func take(_ record: CSVReader.Record) {
    records += 1
    switch role {
    case .summary: evidence.addSummary(record.strings, row: records - 1, location: location)
    case .statement(let id, var tally):
      tally.add(record)
      role = .statement(id, tally)
    case .plain, .csv: break
    }
  }
}
