import Foundation
import TreasuryLedger
@_spi(Inlining) import TreasuryModel
import TreasuryOutput
import TreasuryRender

/// Writes one statement's files into the output folder: the CSV files, the profile CSVs, the camt.053, OFX and
/// HTML documents asked for, and its account group of the period's BAI2 file.
///
/// Every file goes through `OutputFolder.output`, so `--gzip`, the manifest,
/// archives and `verify` see it like any other. The BAI2 account group is a
/// fragment in the staging folder (`PeriodBAI2Files.fragmentPath`), put
/// together with the period's other accounts when every statement is done.
struct StatementFiles {
  let folder: OutputFolder
  let time: LocalTimeFormatter
  let listVoided: Bool
  let csv: Bool
  let camt: [Camt053Document]
  let profiles: [ProfileCSV]
  let ofx: [OFXDocument]
  let html: HTMLStatement?
  let bai2: Bool
  /// `FILE:LINE` of an object, for a refusal that names one (`ExportLimitError.source`); nil: the file alone.
  var locate: ((SourceLocation) -> String)?

  init(folder: OutputFolder, zone: TimeZone, options: StatementsOptions, exports: StatementExports) {
    self.folder = folder
    time = LocalTimeFormatter(zone: zone)
    listVoided = options.listVoided
    csv = options.formats.contains(.csv)
    camt = options.camtVersions.map { Camt053Document(version: $0, includePending: options.camtPending) }
    profiles = exports.profiles
    ofx = [(Format.ofx, OFXDocument.Version.v1), (.ofx2, .v2)].filter { options.formats.contains($0.0) }.map {
      OFXDocument(
        version: $0.1, organization: options.ofxOrganization ?? OFXDocument.defaultOrganization,
        institutionID: options.ofxInstitutionID ?? OFXDocument.defaultInstitutionID)
    }
    html = exports.html
    bai2 = options.formats.contains(.bai2)
  }

  typealias Format = StatementsOptions.Format

  /// (name, extension) of every file a statement gets in this run, in the order they are written.
  var kinds: [(name: String, ext: String)] {
    var kinds: [(String, String)] = []
    if csv {
      kinds += [("transactions", "csv"), ("pending", "csv"), ("entries", "csv")]
      if listVoided { kinds.append(("voided", "csv")) }
    }
    kinds += profiles.map { ($0.fileStem, "csv") }
    kinds += camt.map { ($0.version.fileStem, "xml") }
    kinds += ofx.map { ($0.fileStem, "ofx") }
    if html != nil { kinds.append((HTMLStatement.fileStem, "html")) }
    return kinds
  }

  typealias Renderer = (Statement, SymbolTable, LocalTimeFormatter, RenderTarget) throws(RenderError) -> Int

  /// `asOf`: the data's as-of time, which dates camt.053, OFX and HTML documents of periods not yet ended.
  func write(_ statement: Statement, symbols: SymbolTable, asOf: Int64) throws(JobError) {
    if csv {
      try file(statement, "transactions", "csv", symbols, TransactionsCSV.render)
      try file(statement, "pending", "csv", symbols, PendingCSV.render)
      try file(statement, "entries", "csv", symbols, EntriesCSV.render)
      if listVoided { try file(statement, "voided", "csv", symbols, VoidedCSV.render) }
    }
    for profile in profiles {
      try file(statement, profile.fileStem, "csv", symbols, profile.render)
    }
    for document in camt {
      try file(statement, document.version.fileStem, "xml", symbols) {
        (statement, symbols, time, target) throws(RenderError) in
        try document.render(statement, symbols: symbols, time: time, asOf: asOf, to: target)
      }
    }
    for document in ofx {
      try file(statement, document.fileStem, "ofx", symbols) {
        (statement, symbols, time, target) throws(RenderError) in
        try document.render(statement, symbols: symbols, time: time, asOf: asOf, to: target)
      }
    }
    if let html {
      try file(statement, HTMLStatement.fileStem, "html", symbols) {
        (statement, symbols, time, target) throws(RenderError) in
        try html.render(statement, symbols: symbols, time: time, asOf: asOf, to: target)
      }
    }
    if bai2 { try bai2Fragment(statement, symbols) }
  }

  private func file(
    _ statement: Statement, _ name: String, _ ext: String, _ symbols: SymbolTable, _ render: Renderer
  ) throws(JobError) {
    let relative = StatementPaths.file(statement.key, name, ext)
    let sink: OutputWriter
    do { sink = try folder.output(relative) } catch { throw .sink(error) }
    let rows: Int
    do {
      rows = try render(statement, symbols, time, sink)
    } catch {
      throw failure(error, file: relative, path: sink.path)
    }
    do { folder.record(try sink.finish(rows: rows)) } catch { throw .sink(error) }
  }

  /// A renderer's error as the run's: a value the format cannot carry is the input's problem (named by its
  /// object, else the output file, never the staging path); anything else is an I/O error.
  private func failure(_ error: RenderError, file: String, path: String) -> JobError {
    JobError(error, file: file, path: path, locate: locate)
  }

  /// The statement's BAI2 account group, written plain into the staging folder and not recorded: it is not an
  /// output, only a part of its period's file.
  private func bai2Fragment(_ statement: Statement, _ symbols: SymbolTable) throws(JobError) {
    let sink: FileSink
    do { sink = try folder.file(PeriodBAI2Files.fragmentPath(statement.key)) } catch { throw .sink(error) }
    do {
      _ = try BAI2Account.render(statement, symbols: symbols, to: sink)
    } catch {
      throw failure(error, file: PeriodBAI2Files.path(statement.key.period.label), path: sink.path)
    }
    do { _ = try sink.finish(rows: nil) } catch { throw .sink(error) }
  }
}
