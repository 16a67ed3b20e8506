import Foundation
import Synchronization
import TreasuryInput
import TreasuryLedger
@_spi(Inlining) import TreasuryModel
import TreasuryOutput
import TreasuryRender

/// Puts each period's BAI2 file together (`<period>/statements.bai2`) from the accounts' fragments.
///
/// Statements are built per connected account on parallel workers and only
/// their totals are kept, so each statement's account group (03 … 49) is
/// written as a fragment in the staging folder as soon as the statement is
/// built. When every statement is done, this writes each period's file: the
/// 01 header, per group (originator, currency) a 02 header, the fragments in
/// financial-account order streamed as they are, a 98 trailer, then the 99
/// trailer, with control totals and record counts read from each fragment's
/// own 49 record. The order depends only on the statements, never on which
/// worker finished first, so the file is the same whatever `--jobs`. The
/// fragments are then removed: they are not outputs.
struct PeriodBAI2Files {
  let folder: OutputFolder
  let zone: TimeZone
  let jobs: Int

  static let fragmentFolder = ".bai2-parts"

  /// Where a statement's account group waits, inside the staging folder.
  static func fragmentPath(_ key: StatementKey) -> String {
    fragmentFolder + "/" + key.period.label + "/" + key.financialAccount + "." + key.currency + ".bai2"
  }

  /// The period's file, relative to the output folder.
  static func path(_ label: String) -> String { label + "/statements.bai2" }

  /// Writes one file per period of `statements` (sorted by key); `asOf` dates files of periods not yet ended.
  func write(_ statements: [Statement], asOf: Int64) throws(OutputError) {
    let groups = statements.groupedByPeriod()
    try WorkQueue.forEach(groups.count, jobs: jobs) { index throws(OutputError) in
      try file(groups[index].period, groups[index].statements, asOf: asOf)
    }
    try? FileManager.default.removeItem(atPath: folder.staging + "/" + Self.fragmentFolder)
  }

  private func file(_ period: Period, _ statements: [Statement], asOf: Int64) throws(OutputError) {
    let writer = try folder.output(Self.path(period.label))
    let time = LocalTimeFormatter(zone: zone)
    var groups: [(originator: String, currency: String, statements: [Statement])] = []
    for s in statements.sorted(by: { Self.order($0) < Self.order($1) }) {
      let originator = BAI2File.originator(s)
      if let last = groups.last, last.originator == originator, last.currency == s.key.currency {
        groups[groups.count - 1].statements.append(s)
      } else {
        groups.append((originator, s.key.currency, [s]))
      }
    }
    do throws(RenderError) {
      let records = BAI2Records(target: writer)
      let created = min(period.end, asOf)
      try BAI2File.header(
        records, created: time, at: created, fileID: Camt053Identity.sequenceNumber(period))
      var fileControl: Int128 = 0
      var fileRecords = records.takeCount()
      for group in groups {
        try BAI2File.groupHeader(
          records, originator: group.originator, currency: group.currency,
          asOfDate: time.localDate(period.end - 1))
        try records.flush()
        var groupControl: Int128 = 0
        var groupRecords = records.takeCount()
        for s in group.statements {
          let totals: BAI2Account.Totals
          do { totals = try stream(Self.fragmentPath(s.key), into: writer) } catch { throw .output(error) }
          groupControl += totals.control
          groupRecords += totals.records
        }
        groupRecords += 1
        try BAI2File.groupTrailer(
          records, control: groupControl, accounts: group.statements.count, records: groupRecords)
        _ = records.takeCount()
        fileControl += groupControl
        fileRecords += groupRecords
      }
      fileRecords += 1
      try BAI2File.fileTrailer(records, control: fileControl, groups: groups.count, records: fileRecords)
      try records.flush()
    } catch {
      throw error.outputError(path: writer.path)
    }
    folder.record(try writer.finish(rows: statements.reduce(0) { $0 + $1.postedCount }))
  }

  /// Groups first (originator, currency), then financial account.
  private static func order(_ s: Statement) -> (String, String, String) {
    (BAI2File.originator(s), s.key.currency, s.key.financialAccount)
  }

  /// Copies a fragment into the file; returns the totals of its closing 49 record.
  private func stream(_ relative: String, into writer: OutputWriter) throws(OutputError) -> BAI2Account.Totals {
    let path = folder.staging + "/" + relative
    let unreadable = { (error: InputError) in OutputError.cannotWrite(path: writer.path, reason: error.message) }
    let source: FileByteSource
    do { source = try FileByteSource(path: path, hashing: false) } catch { throw unreadable(error) }
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 16)
    defer { buffer.deallocate() }
    var tail: [UInt8] = []
    while true {
      let n: Int
      do { n = try source.read(into: buffer) } catch { throw unreadable(error) }
      if n == 0 { break }
      let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<n])
      try writer.write(chunk)
      // Only the last 128 bytes matter: a full chunk replaces them without copying the rest.
      tail = chunk.count >= 128 ? Array(chunk.suffix(128)) : Array((tail + chunk).suffix(128))
    }
    // The last record is "49,CONTROL,COUNT/".
    var lines = String(decoding: tail, as: UTF8.self).split(separator: "\n")
    guard let last = lines.popLast(), last.hasPrefix("49,"), last.hasSuffix("/") else {
      throw .cannotWrite(path: path, reason: "the account group does not end with a 49 record")
    }
    let fields = last.dropFirst(3).dropLast().split(separator: ",", omittingEmptySubsequences: false)
    guard fields.count == 2, let control = Int128(fields[0]), let count = Int(fields[1]) else {
      throw .cannotWrite(path: path, reason: "the account group's 49 record is not CONTROL,COUNT")
    }
    return BAI2Account.Totals(control: control, records: count)
  }
}
