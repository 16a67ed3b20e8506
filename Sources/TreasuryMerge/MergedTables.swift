@_spi(Inlining) import TreasuryModel
import TreasuryRender

/// `summary.csv` and `accounts.csv` of the merged folder: the shards' rows in the order one unsharded run writes.
///
/// The summary is sorted by statement key (period start and end, financial
/// account, currency; `StatementKey`), `accounts.csv` by financial account.
/// Rows keep their bytes, but `accounts.csv`'s `account_name`: a shard knows
/// only the names its own files gave, so every row's name is set from all
/// shards' `account_names`, as the unsharded run takes it (the least name
/// when copies differ). A financial account in two shards, or a row of an
/// account its shard does not own, is refused.
struct MergedTables {
  /// The summary's header record.
  let header: [UInt8]
  let summary: [UInt8]
  let summaryRows: Int
  /// Nil when the shards wrote no `accounts.csv` (`--format` without csv).
  let accounts: [UInt8]?
  let accountRows: Int
  /// Each period's label and summary rows, in order (for the archives).
  let periods: [(label: String, rows: [CSVRows.Row])]
  /// The connected account of each financial account (`""`: the platform).
  let owners: [String: String]
  /// Every financial account in the summary or `accounts.csv`.
  let financialAccounts: [String]
  /// Each period's start and end (Unix seconds), by label, to order the manifest's lists.
  let periodTimes: [String: (start: Int64, end: Int64)]

  init(_ shards: [ShardFolder]) throws(MergeError) {
    var header: [UInt8]?
    var keyed: [(key: Key, row: CSVRows.Row)] = []
    var owners: [String: String] = [:]
    var holder: [String: String] = [:]
    var periodTimes: [String: (start: Int64, end: Int64)] = [:]
    for shard in shards {
      let table = try Self.table("summary.csv", of: shard)
      header = header ?? table.header
      for row in table.rows {
        let fa = row.text(0)
        let account = row.text(1)
        let label = row.text(3)
        guard let start = Self.instant(row.text(4)), let end = Self.instant(row.text(5)) else {
          throw .invalidShard("\(shard.shown)/summary.csv: error: a row of \(fa) has no readable period_start/end")
        }
        try Self.claim(fa, account: account, by: shard, holder: &holder)
        owners[fa] = account
        periodTimes[label] = (start, end)
        keyed.append((Key(start: start, end: end, financialAccount: fa, currency: row.text(2)), row))
      }
    }
    keyed.sort { $0.key < $1.key }
    self.header = header ?? []
    summary = self.header + keyed.flatMap(\.row.bytes)
    summaryRows = keyed.count
    var periods: [(label: String, rows: [CSVRows.Row])] = []
    for (_, row) in keyed {
      let label = row.text(3)
      if periods.last?.label == label {
        periods[periods.count - 1].rows.append(row)
      } else {
        periods.append((label, [row]))
      }
    }
    self.periods = periods
    self.owners = owners
    self.periodTimes = periodTimes

    guard shards[0].output("accounts.csv") != nil else {
      accounts = nil
      accountRows = 0
      financialAccounts = Array(owners.keys)
      return
    }
    var names: [String: String] = [:]
    for shard in shards {
      for (id, name) in shard.manifest.accountNames ?? [:] { names[id] = min(names[id] ?? name, name) }
    }
    var rows: [(fa: String, bytes: [UInt8])] = []
    var accountsHeader: [UInt8] = []
    var rowHolder: [String: String] = [:]
    for shard in shards {
      let table = try Self.table("accounts.csv", of: shard)
      accountsHeader = table.header
      for row in table.rows {
        let fa = row.text(0)
        try Self.claim(fa, account: row.text(1), by: shard, holder: &rowHolder)
        // One shard saw every account's names (an unsharded folder): its rows are already the run's.
        let bytes = shards.count == 1 ? row.bytes : row.replacing(2, with: Self.cell(names[row.text(1)] ?? ""))
        rows.append((fa, bytes))
      }
    }
    rows.sort { $0.fa < $1.fa }
    financialAccounts = Array(Set(owners.keys).union(rows.map(\.fa)))
    accounts = accountsHeader + rows.flatMap(\.bytes)
    accountRows = rows.count
  }

  /// A statement's place in the summary (`StatementKey`'s order).
  struct Key: Comparable {
    var start: Int64
    var end: Int64
    var financialAccount: String
    var currency: String

    static func < (a: Key, b: Key) -> Bool {
      (a.start, a.end, a.financialAccount, a.currency) < (b.start, b.end, b.financialAccount, b.currency)
    }
  }

  /// Notes that `shard` holds financial account `fa` of connected account `account`: refused when another shard
  /// holds it too or the account is not the shard's.
  private static func claim(
    _ fa: String, account: String, by shard: ShardFolder, holder: inout [String: String]
  ) throws(MergeError) {
    if let other = holder[fa], other != shard.shown {
      throw .invalidShard(
        "\(shard.shown): error: \(fa) is in \(other) too: the shards overlap (an account in two shards); make the shards again from one dump tree with one N"
      )
    }
    holder[fa] = shard.shown
    if !shard.shard.owns(account) {
      throw .invalidShard(
        "\(shard.shown): error: \(fa) of \(account.isEmpty ? "the platform" : account) belongs to shard \(Shard.index(of: account, count: shard.shard.count))/\(shard.shard.count), not \(shard.shard); the folder is not what --shard \(shard.shard) writes"
      )
    }
  }

  private static func table(_ name: String, of shard: ShardFolder) throws(MergeError) -> CSVRows {
    guard let file = shard.output(name) else {
      throw .invalidShard("\(shard.shown): error: no \(name) in its manifest, though the flags write one")
    }
    guard let table = CSVRows(try shard.content(file)) else {
      throw .invalidShard("\(shard.shown)/\(file.path): error: not a CSV file as statements writes it")
    }
    return table
  }

  /// `text` rendered as one CSV text cell, as the unsharded run writes the name.
  static func cell(_ text: String) -> [UInt8] {
    guard !text.isEmpty else { return [] }
    let target = MemoryTarget()
    var csv = CSVWriter(target: target, header: nil)
    csv.text(text)
    csv.endRow()
    try? csv.flush()
    return Array(target.bytes.dropLast(2))
  }

  /// `2026-03-08T03:00:00-04:00` (or `…Z`) as Unix seconds; nil when it is not that form.
  static func instant(_ text: String) -> Int64? {
    let b = Array(text.utf8)
    guard b.count >= 20, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"), b[10] == UInt8(ascii: "T") else {
      return nil
    }
    func number(_ range: Range<Int>) -> Int64? {
      var value: Int64 = 0
      for i in range {
        guard i < b.count, b[i] >= 0x30, b[i] <= 0x39 else { return nil }
        value = value * 10 + Int64(b[i] - 0x30)
      }
      return value
    }
    guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
      let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19)
    else { return nil }
    var offset: Int64 = 0
    if b[19] != UInt8(ascii: "Z") {
      guard b.count >= 25, b[19] == UInt8(ascii: "+") || b[19] == UInt8(ascii: "-"),
        let h = number(20..<22), let m = number(23..<25)
      else { return nil }
      offset = (h * 3600 + m * 60) * (b[19] == UInt8(ascii: "-") ? -1 : 1)
    }
    // Days from civil (Howard Hinnant's algorithm).
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = (month + 9) % 12
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    let days = era * 146097 + doe - 719468
    return days * 86400 + hour * 3600 + minute * 60 + second - offset
  }
}
