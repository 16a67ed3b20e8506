@_spi(Inlining) import TreasuryModel

/// The checks beyond the schema, fed element by element while a camt.053 document streams past.
///
/// Per statement: every amount has exactly its currency's decimals (USD: 2)
/// and the account's currency; there is one OPBD and one CLBD; OPBD + booked
/// credits − booked debits = CLBD; the transaction summary (when present)
/// equals the booked entries; booking dates fall inside FrToDt; no two
/// entries share an AcctSvcrRef. Only entries with status BOOK count: PDNG
/// and INFO entries are outside the totals by definition.
struct Camt053Checks {
  /// One element just closed: its ancestors' and its own names, where it is, its text and Ccy attribute.
  struct Element {
    /// From `Document` down to this element.
    var names: ArraySlice<String>
    var line: Int
    var text: String
    var currency: String?
  }

  private(set) var problems: [Camt053Problem] = []
  private(set) var statements = 0
  private(set) var entries = 0
  private(set) var messageID: String?

  private var statement = StatementState()

  private struct Located {
    var value: CamtDecimal
    var path: String
    var line: Int
  }

  private struct Entry {
    var amount: CamtDecimal?
    var indicator: String?
    var status: String?
    var bookingDate: String?
    var reference: String?
  }

  private struct Balance {
    var code: String?
    var amount: CamtDecimal?
    var indicator: String?
  }

  private struct StatementState {
    var currency: String?
    var from: String?
    var to: String?
    var balances: [String: [Located]] = [:]
    var summary: [String: Located] = [:]
    var summaryIndicator: String?
    var summaryNetIndicator: String?
    var bookedCount = 0
    var creditCount = 0
    var debitCount = 0
    var credits = CamtDecimal.zero
    var debits = CamtDecimal.zero
    var overflow = false
    var references: [String: Int] = [:]
    var entry = Entry()
    var balance = Balance()
  }

  var digits: Int { statement.currency.map { Money.minorDigits(currency: $0.lowercased()) } ?? 2 }

  mutating func started(_ names: ArraySlice<String>) {
    switch names.last {
    case "Stmt" where names.count == 3:
      statement = StatementState()
      statements += 1
    case "Ntry" where names.count == 4:
      statement.entry = Entry()
      entries += 1
    case "Bal" where names.count == 4:
      statement.balance = Balance()
    default:
      break
    }
  }

  /// `path` gives the element's path, computed only when a problem or a reference needs it.
  mutating func ended(_ e: Element, path: () -> String) {
    let names = e.names
    if names.count == 4 && names.last == "MsgId" && names[names.startIndex + 2] == "GrpHdr" {
      messageID = e.text
      return
    }
    guard names.count >= 3, names[names.startIndex + 2] == "Stmt" else { return }
    if let currency = e.currency { checkAmount(e, currency: currency, path) }
    // The element's place below Stmt, read from its name and its ancestors' without building a string (this
    // runs for every end tag): its depth there (0 for Stmt itself), then the names down to it.
    let depth = names.count - 3
    let last = names[names.endIndex - 1]
    /// The name `k` levels above the element (1: its parent).
    func up(_ k: Int) -> String { names[names.endIndex - 1 - k] }
    switch depth {
    case 0: endStatement(e, path)
    case 1:
      switch last {
      case "Bal": endBalance(e, path)
      case "Ntry": endEntry(e, path)
      default: break
      }
    case 2:
      switch (up(1), last) {
      case ("Acct", "Ccy"): statement.currency = e.text
      case ("FrToDt", "FrDtTm"): statement.from = String(e.text.prefix(10))
      case ("FrToDt", "ToDtTm"): statement.to = String(e.text.prefix(10))
      case ("Bal", "Amt"): statement.balance.amount = CamtDecimal(e.text)
      case ("Bal", "CdtDbtInd"): statement.balance.indicator = e.text
      case ("Ntry", "Amt"): statement.entry.amount = CamtDecimal(e.text)
      case ("Ntry", "CdtDbtInd"): statement.entry.indicator = e.text
      case ("Ntry", "Sts") where !e.text.isEmpty: statement.entry.status = e.text
      case ("Ntry", "AcctSvcrRef"): statement.entry.reference = e.text
      default: break
      }
    case 3:
      switch (up(2), up(1), last) {
      case ("Ntry", "Sts", "Cd"): statement.entry.status = e.text
      case ("Ntry", "BookgDt", "Dt"), ("Ntry", "BookgDt", "DtTm"):
        statement.entry.bookingDate = String(e.text.prefix(10))
      case ("TxsSummry", "TtlNtries", "CdtDbtInd"): statement.summaryIndicator = e.text
      case ("TxsSummry", "TtlNtries", "NbOfNtries"), ("TxsSummry", "TtlNtries", "Sum"),
        ("TxsSummry", "TtlNtries", "TtlNetNtryAmt"), ("TxsSummry", "TtlCdtNtries", "NbOfNtries"),
        ("TxsSummry", "TtlCdtNtries", "Sum"), ("TxsSummry", "TtlDbtNtries", "NbOfNtries"),
        ("TxsSummry", "TtlDbtNtries", "Sum"):
        summaryField(e, up(1) + "/" + last, path)
      default: break
      }
    case 4:
      switch (up(3), up(2), up(1), last) {
      case ("Bal", "Tp", "CdOrPrtry", "Cd"): statement.balance.code = e.text
      case ("TxsSummry", "TtlNtries", "TtlNetNtry", "CdtDbtInd"): statement.summaryNetIndicator = e.text
      case ("TxsSummry", "TtlNtries", "TtlNetNtry", "Amt"): summaryField(e, "TtlNtries/TtlNetNtry/Amt", path)
      default: break
      }
    default: break
    }
  }

  /// A number of the transaction summary: `field` is its place below TxsSummry (`TtlCdtNtries/Sum`).
  private mutating func summaryField(_ e: Element, _ field: String, _ path: () -> String) {
    guard let value = CamtDecimal(e.text) else { return }
    if !field.hasSuffix("NbOfNtries") && statement.currency != nil { checkDecimals(e, value, currency: nil, path) }
    statement.summary[field] = Located(value: value, path: path(), line: e.line)
  }

  // MARK: Amounts

  private mutating func checkAmount(_ e: Element, currency: String, _ path: () -> String) {
    guard let value = CamtDecimal(e.text) else { return }
    if let account = statement.currency, account != currency {
      report(e, path, "amount in \(currency) on a \(account) statement (Acct/Ccy is \(account))")
    }
    checkDecimals(e, value, currency: currency, path)
  }

  private mutating func checkDecimals(_ e: Element, _ value: CamtDecimal, currency: String?, _ path: () -> String) {
    let code = currency ?? statement.currency ?? "USD"
    let expected = Money.minorDigits(currency: code.lowercased())
    guard value.fractionDigits != expected else { return }
    let noun = value.fractionDigits == 1 ? "decimal" : "decimals"
    report(
      e, path,
      "amount '\(e.text)' has \(value.fractionDigits) \(noun); \(code) amounts have exactly \(expected)")
  }

  // MARK: Balances and entries

  private mutating func endBalance(_ e: Element, _ path: () -> String) {
    let b = statement.balance
    guard let code = b.code, let amount = b.amount, let indicator = b.indicator else { return }
    let signed = indicator == "DBIT" ? amount.negated : amount
    statement.balances[code, default: []].append(Located(value: signed, path: path(), line: e.line))
  }

  private mutating func endEntry(_ e: Element, _ path: () -> String) {
    let entry = statement.entry
    if let reference = entry.reference {
      if let first = statement.references[reference] {
        report(
          e, path,
          "AcctSvcrRef \(reference) is also the reference of the entry at line \(first); an importer would drop one of them"
        )
      } else {
        statement.references[reference] = e.line
      }
    }
    guard entry.status == "BOOK", let amount = entry.amount, let indicator = entry.indicator else { return }
    if let date = entry.bookingDate, let from = statement.from, let to = statement.to, date < from || date > to {
      report(e, path, "booking date \(date) is outside the statement period \(from) to \(to) (FrToDt)")
    }
    statement.bookedCount += 1
    if indicator == "DBIT" {
      statement.debitCount += 1
      if let sum = statement.debits.adding(amount) { statement.debits = sum } else { statement.overflow = true }
    } else {
      statement.creditCount += 1
      if let sum = statement.credits.adding(amount) { statement.credits = sum } else { statement.overflow = true }
    }
  }

  // MARK: The statement as a whole

  private mutating func endStatement(_ e: Element, _ path: () -> String) {
    let s = statement
    let digits = self.digits
    let money = { (value: CamtDecimal) in value.formatted(digits: digits) }
    guard !s.overflow else {
      report(e, path, "the entries' amounts add up beyond what can be checked")
      return
    }
    let opening = s.balances["OPBD"] ?? []
    let closing = s.balances["CLBD"] ?? []
    for (code, name, found) in [("OPBD", "opening booked", opening), ("CLBD", "closing booked", closing)]
    where found.count != 1 {
      report(
        e, path,
        found.isEmpty
          ? "the statement has no \(code) (\(name)) balance" : "the statement has \(found.count) \(code) balances")
    }
    if let open = opening.first, let close = closing.first, opening.count == 1, closing.count == 1 {
      let expected = open.value.adding(s.credits).flatMap { $0.adding(s.debits.negated) }
      if let expected, expected != close.value {
        let off = close.value.adding(expected.negated).map(money) ?? "?"
        report(
          close.line, close.path,
          "OPBD \(money(open.value)) + credits \(money(s.credits)) − debits \(money(s.debits)) = \(money(expected)), "
            + "but CLBD is \(money(close.value)) (off by \(off))")
      }
    }
    checkSummary(s, money: money)
  }

  private mutating func checkSummary(_ s: StatementState, money: @escaping (CamtDecimal) -> String) {
    guard let sum = s.credits.adding(s.debits), let net = s.credits.adding(s.debits.negated) else { return }
    let count = { (n: Int) in CamtDecimal(minor: Int64(n), digits: 0) }
    let netMagnitude = CamtDecimal(scaled: net.scaled.magnitude.asInt128, fractionDigits: 0)
    let expected: [(String, CamtDecimal, String)] = [
      ("TtlNtries/NbOfNtries", count(s.bookedCount), "the number of entries"),
      ("TtlNtries/Sum", sum, "the sum of entries"),
      ("TtlNtries/TtlNetNtryAmt", netMagnitude, "the net amount"),
      ("TtlNtries/TtlNetNtry/Amt", netMagnitude, "the net amount"),
      ("TtlCdtNtries/NbOfNtries", count(s.creditCount), "the number of credit entries"),
      ("TtlCdtNtries/Sum", s.credits, "the sum of credits"),
      ("TtlDbtNtries/NbOfNtries", count(s.debitCount), "the number of debit entries"),
      ("TtlDbtNtries/Sum", s.debits, "the sum of debits"),
    ]
    for (key, value, what) in expected {
      guard let found = s.summary[key], found.value != value else { continue }
      let isCount = key.hasSuffix("NbOfNtries")
      let shown = { (v: CamtDecimal) in isCount ? v.formatted(digits: 0) : money(v) }
      report(
        found.line, found.path,
        "TxsSummry gives \(what) as \(shown(found.value)), but the booked entries give \(shown(value))")
    }
    let netIndicator = net.scaled < 0 ? "DBIT" : "CRDT"
    for (found, key) in [
      (s.summaryIndicator, "TtlNtries/TtlNetNtryAmt"), (s.summaryNetIndicator, "TtlNtries/TtlNetNtry/Amt"),
    ] {
      guard let found, found != netIndicator, net.scaled != 0, let amount = s.summary[key] else { continue }
      report(
        amount.line, amount.path,
        "the net is a \(netIndicator == "DBIT" ? "debit" : "credit") (\(netIndicator)), but TxsSummry says \(found)")
    }
  }

  // MARK: Reporting

  private mutating func report(_ e: Element, _ path: () -> String, _ message: String) {
    report(e.line, path(), message)
  }

  private mutating func report(_ line: Int, _ path: String, _ message: String) {
    problems.append(Camt053Problem(line: line, path: path, message: message))
  }
}

extension UInt128 {
  /// The value as Int128 (our magnitudes are far below 2¹²⁷).
  fileprivate var asInt128: Int128 { Int128(truncatingIfNeeded: self) }
}
