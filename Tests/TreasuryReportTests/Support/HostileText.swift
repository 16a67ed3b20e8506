import Foundation
import Testing

@testable import TreasuryLedger
@_spi(Inlining) @testable import TreasuryModel

/// A reproducible stream of random numbers (SplitMix64), so a failing case can be replayed from its seed.
struct Seeded {
  var state: UInt64

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

  mutating func chance(_ percent: Int) -> Bool { below(100) < percent }

  mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}

/// Pieces of hostile text: every XML special character, every C0 and C1 control and DEL (XML 1.0 forbids most),
/// the non-characters U+FFFE and U+FFFF, white space libxml2 or Foundation treat specially, combining marks,
/// astral-plane characters and emoji sequences.
let hostilePieces: [String] = {
  var pieces = [
    "&", "<", ">", "\"", "'", "]]>", "&amp;", "&#13;", "\r", "\n", "\t", "\r\n", " ", "  ", "a", "Z", "0", "é",
    "e\u{301}", "日本", "💸", "👩‍👩‍👧", "🇺🇸", "\u{FFFD}", "\u{FFFE}", "\u{FFFF}", "\u{A0}", "\u{2028}", "\u{3000}",
    "\u{10FFFF}", "\u{1F600}", "\u{E000}", "\u{D7FF}", "Fish & Chips <Ltd>", "x\"y'z", "<\u{301}", "\"\u{301}",
    "&\u{338}", "\u{301}", "{{x}}",
  ]
  for value in 0x00..<0x20 { pieces.append(String(Unicode.Scalar(UInt8(value)))) }
  for value in 0x7F..<0xA0 { pieces.append(String(Character(Unicode.Scalar(UInt32(value))!))) }
  return pieces
}()

/// The hostile pieces that are ASCII.
let asciiPieces = hostilePieces.filter { $0.utf8.allSatisfy { $0 < 0x80 } }

/// Empty now and then, 10 KB now and then, else up to 40 hostile pieces.
func hostileText(_ random: inout Seeded) -> String {
  if random.chance(8) { return "" }
  let count = random.chance(4) ? 10_000 / 3 : random.below(40)
  // ASCII alone now and then: writers take a fast path for it.
  let pieces = random.chance(25) ? asciiPieces : hostilePieces
  var text = ""
  for _ in 0..<count { text += random.pick(pieces) }
  return text
}

/// A JSON string literal holding `text` (controls as `\u00XX`, the rest as UTF-8).
func json(_ text: String) -> String {
  var out = "\""
  for scalar in text.unicodeScalars {
    switch scalar {
    case "\"": out += "\\\""
    case "\\": out += "\\\\"
    default:
      if scalar.value < 0x20 {
        out += String(format: "\\u%04X", scalar.value)
      } else {
        out.unicodeScalars.append(scalar)
      }
    }
  }
  return out + "\""
}

/// Statements of random dumps with hostile descriptions, holder and bank names and flow types, each with its symbols
/// and a zone (UTC, New York or Kolkata, whose offset has minutes): `dumps` dumps of 1 to 12 transactions each.
func hostileStatements(_ random: inout Seeded, dumps: Int) throws -> [(Statement, SymbolTable, TimeZone)] {
  let mar1 = 1_772_323_200  // 2026-03-01T00:00:00Z
  var result: [(Statement, SymbolTable, TimeZone)] = []
  for dump in 0..<dumps {
    var lines = [
      #"{"id":"fa_1","object":"treasury.financial_account","livemode":false,"status":"open","balance":{"cash":{"usd":0},"inbound_pending":{"usd":0},"outbound_pending":{"usd":0}},"financial_addresses":[{"type":"aba","aba":{"account_holder_name":\#(json(hostileText(&random))),"bank_name":\#(json(hostileText(&random))),"routing_number":"084106768","account_number_last4":"6789"}}],"supported_currencies":["usd"]}"#
    ]
    for i in 0..<(1 + random.below(12)) {
      let at = mar1 + 3600 * random.below(24 * 30)
      let amount = random.below(200_000) - 100_000
      let status = random.chance(20) ? "open" : "posted"
      let flowType =
        random.chance(80)
        ? random.pick(["received_credit", "outbound_payment", "received_debit"]) : "f" + hostileText(&random)
      var line = Lines.transaction(
        "trxn_\(dump)_\(i)", amount: amount, status: status, created: at, posted: status == "posted" ? at : nil,
        description: "DESCRIPTION", flowType: "FLOWTYPE")
      line = line.replacingOccurrences(of: #""DESCRIPTION""#, with: json(hostileText(&random)))
      line = line.replacingOccurrences(of: #""FLOWTYPE""#, with: json(flowType))
      lines.append(line)
      lines.append(
        Lines.entry(
          "trxne_\(dump)_\(i)", transaction: "trxn_\(dump)_\(i)", at: at, cash: amount,
          outbound: status == "open" && amount < 0 ? -amount : 0))
    }
    let (store, invalid) = try readDump(lines.joined(separator: "\n"))
    #expect(invalid.isEmpty, "\(invalid.map(\.message))")
    let zone = try #require(TimeZone(identifier: random.pick(["UTC", "America/New_York", "Asia/Kolkata"])))
    let periods = PeriodCalendar(zone: zone, interval: .month).periods(
      from: Int64(mar1), through: Int64(mar1 + 86_400 * 31))
    for ledger in store.ledgers() {
      let fa = store.symbols.string(ledger.financialAccount)
      _ = try StatementBuilder(includeLines: true).build(
        ledger, periods: periods, symbols: store.symbols, account: "", header: store.financialAccounts[fa]
      ) { result.append(($0, store.symbols, zone)) }
    }
  }
  return result
}
