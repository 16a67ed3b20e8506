@_spi(Inlining) import TreasuryModel
import TreasuryOutput
import TreasuryRender

/// `<period>/statements.bai2` of the merged folder (`--format bai2`): every shard's account groups in one file.
///
/// A period's BAI2 file holds every account: the 01 header, per (originator,
/// currency) a 02 group header, each statement's account group (03 … 49) in
/// financial-account order, a 98 group trailer, then the 99 file trailer. The
/// headers are the same in every shard's file of the period (they depend on
/// the period, `--as-of` and the group), and each account group is copied as
/// it is; only the trailers are computed again, from the account groups' own
/// 49 totals and the records counted, as the unsharded run computes them.
struct MergedBAI2 {
  let folder: OutputFolder
  let shards: [ShardFolder]

  /// Writes the file of each period in `periods` that some shard wrote one for; `postedCounts` are its rows.
  func write(_ periods: [(label: String, postedCount: Int)]) throws(MergeError) {
    for period in periods {
      let path = period.label + "/statements.bai2"
      var header: [[UInt8]] = []
      var groups: [String: (header: [[UInt8]], accounts: [(key: String, lines: [[UInt8]])])] = [:]
      for shard in shards {
        guard let file = shard.output(path) else { continue }
        let parsed = try Self.parse(try shard.content(file), shown: shard.shown + "/" + file.path)
        header = parsed.header
        for group in parsed.groups {
          groups[group.key, default: (group.header, [])].accounts += group.accounts
        }
      }
      guard !header.isEmpty else { continue }
      var bytes = header.flatMap { $0 }
      var fileControl: Int128 = 0
      var fileRecords = header.count
      for key in groups.keys.sorted() {
        let group = groups[key]!
        var control: Int128 = 0
        var records = group.header.count
        bytes += group.header.flatMap { $0 }
        for account in group.accounts.sorted(by: { $0.key < $1.key }) {
          bytes += account.lines.flatMap { $0 }
          records += account.lines.count
          control += Self.control(account.lines.last ?? [])
        }
        records += 1
        bytes += Self.render { (r) throws(RenderError) in
          try BAI2File.groupTrailer(r, control: control, accounts: group.accounts.count, records: records)
        }
        fileControl += control
        fileRecords += records
      }
      fileRecords += 1
      bytes += Self.render { (r) throws(RenderError) in
        try BAI2File.fileTrailer(r, control: fileControl, groups: groups.count, records: fileRecords)
      }
      do { try folder.write(path, bytes, rows: period.postedCount) } catch { throw .output(error) }
    }
  }

  /// A period file's 01 header and its groups, keyed by the 02 record's originator and currency; each account
  /// group keyed by its financial account and currency.
  private static func parse(_ bytes: [UInt8], shown: String) throws(MergeError) -> (
    header: [[UInt8]], groups: [(key: String, header: [[UInt8]], accounts: [(key: String, lines: [[UInt8]])])]
  ) {
    var lines: [[UInt8]] = []
    var start = 0
    while start < bytes.count {
      let end = (bytes[start...].firstIndex(of: 0x0A) ?? (bytes.count - 1)) + 1
      lines.append(Array(bytes[start..<end]))
      start = end
    }
    let code = { (line: [UInt8]) in String(decoding: line.prefix(2), as: UTF8.self) }
    let fields = { (line: [UInt8]) in
      String(decoding: line, as: UTF8.self).split(separator: ",", omittingEmptySubsequences: false)
    }
    var header: [[UInt8]] = []
    var groups: [(key: String, header: [[UInt8]], accounts: [(key: String, lines: [[UInt8]])])] = []
    var account: [[UInt8]]?
    for line in lines {
      switch code(line) {
      case "01": header = [line]
      case "02":
        let f = fields(line)
        guard f.count > 6 else { throw .invalidShard("\(shown): error: a 02 record without originator and currency") }
        groups.append((String(f[2]) + "," + String(f[6]), [line], []))
      case "03": account = [line]
      case "49":
        guard let open = account, !groups.isEmpty else {
          throw .invalidShard("\(shown): error: a 49 record outside an account group")
        }
        let f = fields(open[0])
        groups[groups.count - 1].accounts.append((String(f[1]) + "," + String(f.count > 2 ? f[2] : ""), open + [line]))
        account = nil
      case "88":
        if account != nil {
          account!.append(line)
        } else if let last = groups.indices.last, groups[last].accounts.isEmpty {
          groups[last].header.append(line)
        } else if groups.isEmpty {
          header.append(line)
        }
      case "98", "99": break
      default:
        guard account != nil else { throw .invalidShard("\(shown): error: a record outside an account group") }
        account!.append(line)
      }
    }
    return (header, groups)
  }

  /// The control total of a `49,CONTROL,COUNT/` record.
  private static func control(_ line: [UInt8]) -> Int128 {
    let f = String(decoding: line, as: UTF8.self).split(separator: ",")
    return f.count > 1 ? Int128(f[1]) ?? 0 : 0
  }

  private static func render(_ body: (BAI2Records) throws(RenderError) -> Void) -> [UInt8] {
    let target = MemoryTarget()
    let records = BAI2Records(target: target)
    try? body(records)
    try? records.flush()
    return target.bytes
  }
}
