import Foundation

/// Simulates one financial account's money movements over a span of time, following Stripe Treasury's flows.
///
/// Every flow follows domain.md: outbound payments and transfers hold funds
/// in outbound_pending until they post, cancel or fail; card holds are
/// released and, when captured, a received debit posts; credits post at once.
struct AccountSimulation {
  let financialAccount: String
  let accountIndex: Int
  let start: Int64
  let end: Int64
  var random: SplitMix64
  private(set) var transactions: [GeneratedTransaction] = []
  /// Copies of transactions as they looked while open (for stale copies in messy dumps).
  private(set) var openSnapshots: [GeneratedTransaction] = []
  private(set) var entries: [GeneratedEntry] = []
  private var serial = 0

  static let counterparties = [
    "Acme Supplies", "Globex, Inc.", "Initech \"Payroll\"", "Café Lumière", "Umbrella Corp", "=Northwind Traders",
    "-Contoso Refund", "@Fabrikam", "Tailspin Toys", "Wide World Importers", "Łódź Logistics 🚚",
  ]

  init(financialAccount: String, accountIndex: Int, start: Int64, end: Int64, seed: UInt64) {
    self.financialAccount = financialAccount
    self.accountIndex = accountIndex
    self.start = start
    self.end = end
    random = SplitMix64(seed: seed)
  }

  /// Generates events until `count` transactions exist, spread over [start, end).
  mutating func run(transactions count: Int, boundaries: [Int64]) {
    let span = end - start
    // Start with a deposit so that most balances stay positive.
    credit(
      at: start + Int64(random.below(3600)), amount: Int64(500_000 + random.below(1_000_000)), kind: "received_credit")
    while transactions.count < count {
      var at = start + Int64(random.below(Int(span)))
      // Some events land exactly on, or a second before, a period boundary.
      if random.chance(3), let boundary = boundaries.randomElement(using: &random) {
        at = boundary - Int64(random.below(2))
      }
      let amount = Int64(100 + random.below(random.chance(10) ? 5_000_000 : 200_000))
      switch random.below(100) {
      case 0..<30: credit(at: at, amount: amount, kind: "received_credit")
      case 30..<55: outbound(at: at, amount: amount, kind: "outbound_payment")
      case 55..<65: outbound(at: at, amount: amount, kind: "outbound_transfer")
      case 65..<80: cardHold(at: at, amount: amount)
      case 80..<88: credit(at: at, amount: -amount, kind: "received_debit")
      case 88..<95: credit(at: at, amount: amount, kind: "inbound_transfer")
      default: credit(at: at, amount: amount % 5000, kind: random.chance(50) ? "other" : "interest_payout")
      }
    }
  }

  private mutating func nextID(_ prefix: String) -> String {
    serial += 1
    return prefix + "1Gen" + Self.base62(accountIndex, width: 4) + Self.base62(serial, width: 10)
  }

  private mutating func description(_ kind: String) -> String {
    let who = Self.counterparties[random.below(Self.counterparties.count)]
    return "\(who) | \(kind.replacingOccurrences(of: "_", with: " "))"
  }

  private mutating func newTransaction(_ flowType: String, flow: String, amount: Int64, at: Int64) -> Int {
    let t = GeneratedTransaction(
      id: nextID("trxn_"), financialAccount: financialAccount, flow: flow, flowType: flowType,
      description: description(flowType), amount: amount, created: at, status: "open")
    transactions.append(t)
    return transactions.count - 1
  }

  private mutating func entry(_ index: Int, _ type: String, at: Int64, _ impact: Impact) {
    let t = transactions[index]
    entries.append(
      GeneratedEntry(
        id: nextID("trxne_"), transaction: t.id, financialAccount: financialAccount, flow: t.flow, flowType: t.flowType,
        type: type, at: at, impact: impact))
    transactions[index].impact = transactions[index].impact + impact
  }

  /// A flow that posts at once: received credit or debit, inbound transfer, interest.
  private mutating func credit(at: Int64, amount: Int64, kind: String) {
    let prefix =
      ["received_credit": "rc_", "received_debit": "rd_", "inbound_transfer": "ibt_"][kind] ?? "flow_"
    let i = newTransaction(kind, flow: nextID(prefix), amount: amount, at: at)
    entry(i, kind, at: at, Impact(cash: amount))
    transactions[i].status = "posted"
    transactions[i].postedAt = at
    if kind == "inbound_transfer" && random.chance(5) {
      let back = min(end - 1, at + 86_400 * Int64(1 + random.below(5)))
      let r = newTransaction(kind, flow: transactions[i].flow, amount: -amount, at: back)
      entry(r, "inbound_transfer_return", at: back, Impact(cash: -amount))
      transactions[r].status = "posted"
      transactions[r].postedAt = back
    }
  }

  /// Outbound payment or transfer: held, then posted (maybe returned later), cancelled, failed, or still open.
  private mutating func outbound(at: Int64, amount: Int64, kind: String) {
    let i = newTransaction(kind, flow: nextID(kind == "outbound_payment" ? "obp_" : "obt_"), amount: -amount, at: at)
    entry(i, kind, at: at, Impact(cash: -amount, outbound: amount))
    openSnapshots.append(transactions[i])
    let later = at + Int64(3600 + random.below(3 * 86_400))
    guard later < end else { return }  // still open when the dump was taken
    switch random.below(100) {
    case 0..<85:
      entry(i, kind + "_posting", at: later, Impact(outbound: -amount))
      transactions[i].status = "posted"
      transactions[i].postedAt = later
      if random.chance(3) {
        let back = later + Int64(86_400 * (1 + random.below(4)))
        guard back < end else { return }
        let r = newTransaction(kind, flow: transactions[i].flow, amount: amount, at: back)
        entry(r, kind + "_return", at: back, Impact(cash: amount))
        transactions[r].status = "posted"
        transactions[r].postedAt = back
      }
    case 85..<93:
      entry(i, kind + "_cancellation", at: later, Impact(cash: amount, outbound: -amount))
      transactions[i].status = "void"
      transactions[i].voidAt = later
    default:
      entry(i, kind + "_failure", at: later, Impact(cash: amount, outbound: -amount))
      transactions[i].status = "void"
      transactions[i].voidAt = later
    }
  }

  /// A card authorization: hold, then release; captured holds post a received debit when released.
  private mutating func cardHold(at: Int64, amount: Int64) {
    let auth = nextID("iauth_")
    let i = newTransaction("issuing_authorization", flow: auth, amount: -amount, at: at)
    entry(i, "issuing_authorization_hold", at: at, Impact(cash: -amount, outbound: amount))
    openSnapshots.append(transactions[i])
    let later = at + Int64(600 + random.below(2 * 86_400))
    guard later < end else { return }
    entry(i, "issuing_authorization_release", at: later, Impact(cash: amount, outbound: -amount))
    transactions[i].status = "void"
    transactions[i].voidAt = later
    if random.chance(85) {
      let d = newTransaction("received_debit", flow: nextID("rd_"), amount: -amount, at: later)
      entry(d, "received_debit", at: later, Impact(cash: -amount))
      transactions[d].status = "posted"
      transactions[d].postedAt = later
    }
  }

  var balance: Impact { entries.reduce(Impact()) { $0 + $1.impact } }

  static func base62(_ value: Int, width: Int) -> String {
    let digits = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
    var out: [Character] = []
    var v = value
    repeat {
      out.append(digits[v % 62])
      v /= 62
    } while v > 0
    while out.count < width { out.append("0") }
    return String(out.reversed())
  }
}

extension Array {
  func randomElement(using random: inout SplitMix64) -> Element? {
    isEmpty ? nil : self[random.below(count)]
  }
}
