import ArgumentParser
import Foundation

/// `treasury-gen`: writes consistent synthetic Treasury dumps of any size, for tests and benchmarks.
@main
struct Entrypoint: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "treasury-gen",
    abstract: "Generate consistent synthetic Stripe Treasury dumps (deterministic for a seed)."
  )

  enum Layout: String, ExpressibleByArgument {
    /// One folder per connected account (acct_…), three files each.
    case folders
    /// One file with every object of every account interleaved.
    case mixed
  }

  @Option(help: "Output folder (created; must not exist).")
  var out: String

  @Option(help: "Connected accounts, one financial account each.")
  var accounts = 3

  @Option(help: "First month, YYYY-MM (UTC).")
  var start = "2026-01"

  @Option(help: "Number of months.")
  var months = 3

  @Option(help: "Transactions per account per month (entries are about 1.5 times as many).")
  var transactionsPerMonth = 40

  @Option(help: "Random seed; the same seed gives the same bytes.")
  var seed: UInt64 = 1

  @Option(help: "folders (default) or mixed.")
  var layout = Layout.folders

  @Flag(
    help: "Duplicate lines, add stale open copies, shuffle, use list pages and split entries over overlapping files.")
  var messy = false

  @Flag(help: "End lines with CRLF.")
  var crlf = false

  @Flag(help: "Mark objects livemode: true.")
  var livemode = false

  func validate() throws {
    guard accounts >= 1, months >= 1, transactionsPerMonth >= 1 else {
      throw ValidationError("--accounts, --months and --transactions-per-month must be at least 1")
    }
    guard Self.monthStart(start, adding: 0) != nil else { throw ValidationError("--start takes YYYY-MM") }
    guard !FileManager.default.fileExists(atPath: out) else {
      throw ValidationError("\(out) exists; choose a new folder")
    }
  }

  func run() throws {
    guard let first = Self.monthStart(start, adding: 0), let last = Self.monthStart(start, adding: months) else {
      return
    }
    let newYork = TimeZone(identifier: "America/New_York")
    var boundaries: [Int64] = []
    for m in 0...months {
      guard let utc = Self.monthStart(start, adding: m) else { continue }
      boundaries.append(utc)
      let offset = Int64(newYork?.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(utc))) ?? 0)
      boundaries.append(utc - offset)
    }
    try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
    // The mixed layout interleaves every account's lines, so it holds them all until the end.
    var mixedLines: [[UInt8]] = []
    for index in 0..<accounts {
      let account = "acct_1Gen" + AccountSimulation.base62(index, width: 8)
      let fa = "fa_1Gen" + AccountSimulation.base62(index, width: 4) + "Main000000"
      var sim = AccountSimulation(
        financialAccount: fa, accountIndex: index, start: first, end: last, seed: seed &* 1_000_003 &+ UInt64(index))
      sim.run(
        transactions: transactionsPerMonth * months, boundaries: boundaries.filter { $0 > first + 1 && $0 < last })
      var random = SplitMix64(seed: seed ^ UInt64(index) &* 7919)
      let lines = DumpLines(sim: sim, livemode: livemode, messy: messy, random: &random)
      if layout == .mixed {
        mixedLines += [lines.financialAccount] + lines.transactions + lines.entries
        continue
      }
      let folder = out + "/" + account
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      try write([lines.financialAccount], to: folder + "/financial_accounts.jsonl", crlf: crlf)
      if messy {
        // Each list in two files that overlap by ten lines, as a retried export leaves them.
        let transactions = lines.transactions.split(overlap: 10)
        try write(transactions.0, to: folder + "/transactions.jsonl", crlf: crlf)
        try write(transactions.1, to: folder + "/transactions-retry.jsonl", crlf: crlf)
        let entries = lines.entries.split(overlap: 10)
        try write(entries.0, to: folder + "/transaction_entries.jsonl", crlf: crlf)
        try write(entries.1, to: folder + "/transaction_entries-2.jsonl", crlf: crlf)
      } else {
        try write(lines.transactions, to: folder + "/transactions.jsonl", crlf: crlf)
        try write(lines.entries, to: folder + "/transaction_entries.jsonl", crlf: crlf)
      }
    }
    if layout == .mixed {
      var random = SplitMix64(seed: seed ^ 0xABCDEF)
      mixedLines.shuffle(using: &random)
      try write(mixedLines, to: out + "/all.jsonl", crlf: crlf)
    }
  }

  /// Unix time of the first instant of month `start` + `adding` (UTC).
  static func monthStart(_ start: String, adding: Int) -> Int64? {
    let parts = start.split(separator: "-")
    guard parts.count == 2, let year = Int(parts[0]), let month = Int(parts[1]), (1...12).contains(month) else {
      return nil
    }
    let index = year * 12 + month - 1 + adding
    var components = DateComponents()
    components.year = index / 12
    components.month = index % 12 + 1
    components.day = 1
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
    return calendar.date(from: components).map { Int64($0.timeIntervalSince1970) }
  }
}

/// The JSON lines of one account's dump, clean or messy.
struct DumpLines {
  var financialAccount: [UInt8]
  var transactions: [[UInt8]] = []
  var entries: [[UInt8]] = []

  init(sim: AccountSimulation, livemode: Bool, messy: Bool, random: inout SplitMix64) {
    var json = StripeJSON()
    json.financialAccount(
      id: sim.financialAccount, holder: "Generated Holder \(sim.accountIndex)",
      last4: String(1000 + sim.accountIndex % 9000), balance: sim.balance, created: sim.start - 86_400,
      livemode: livemode)
    financialAccount = json.bytes
    for t in sim.transactions {
      var j = StripeJSON()
      j.transaction(t, livemode: livemode)
      transactions.append(j.bytes)
    }
    for e in sim.entries {
      var j = StripeJSON()
      j.entry(e, livemode: livemode)
      entries.append(j.bytes)
    }
    guard messy else { return }
    // Stale open copies of transactions that later posted or voided.
    let resolved = Set(sim.transactions.filter { $0.status != "open" }.map(\.id))
    for snapshot in sim.openSnapshots where resolved.contains(snapshot.id) && random.chance(30) {
      var j = StripeJSON()
      j.transaction(snapshot, livemode: livemode)
      transactions.append(j.bytes)
    }
    for i in transactions.indices where random.chance(5) { transactions.append(transactions[i]) }
    for i in entries.indices where random.chance(5) { entries.append(entries[i]) }
    transactions.shuffle(using: &random)
    entries.shuffle(using: &random)
    transactions = Self.pageSome(transactions, random: &random)
    entries = Self.pageSome(entries, random: &random)
  }

  /// Groups some runs of lines into list pages, as saved from the API.
  static func pageSome(_ lines: [[UInt8]], random: inout SplitMix64) -> [[UInt8]] {
    var out: [[UInt8]] = []
    var i = 0
    while i < lines.count {
      if random.chance(5) {
        let n = min(lines.count - i, 1 + random.below(20))
        var page = Array("{\"object\":\"list\",\"data\":[".utf8)
        for k in 0..<n {
          if k > 0 { page.append(UInt8(ascii: ",")) }
          page += lines[i + k]
        }
        page += Array("],\"has_more\":true,\"url\":\"/v1/treasury/transactions\"}".utf8)
        out.append(page)
        i += n
      } else {
        out.append(lines[i])
        i += 1
      }
    }
    return out
  }

}

extension Array where Element == [UInt8] {
  /// Two parts that share `overlap` percent of the lines (as overlapping dumps do).
  func split(overlap: Int) -> ([[UInt8]], [[UInt8]]) {
    let middle = count / 2
    let shared = count * overlap / 200
    return (Array(self[0..<Swift.min(count, middle + shared)]), Array(self[Swift.max(0, middle - shared)...]))
  }
}

extension MutableCollection where Self: RandomAccessCollection {
  mutating func shuffle(using random: inout SplitMix64) {
    guard count > 1 else { return }
    var i = endIndex
    while i != startIndex {
      let n = distance(from: startIndex, to: i)
      formIndex(before: &i)
      let j = index(startIndex, offsetBy: random.below(n))
      swapAt(i, j)
    }
  }
}

/// Writes generated lines to a new file at `path`, each ended by LF (or CRLF), in large buffered writes.
func write(_ lines: [[UInt8]], to path: String, crlf: Bool) throws {
  guard FileManager.default.createFile(atPath: path, contents: nil) else {
    throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
  }
  let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
  let newline: [UInt8] = crlf ? [13, 10] : [10]
  var buffer: [UInt8] = []
  for line in lines {
    buffer += line
    buffer += newline
    if buffer.count > 1 << 23 {
      try handle.write(contentsOf: buffer)
      buffer.removeAll(keepingCapacity: true)
    }
  }
  try handle.write(contentsOf: buffer)
  try handle.close()
}
