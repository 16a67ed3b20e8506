import Foundation

/// Writes one statement's files into the output folder: the CSV files and the camt.053 documents asked for.
struct StatementFiles {
  let folder: OutputFolder
  let time: LocalTimeFormatter
  let listVoided: Bool
  let csv: Bool
  let camt: [Camt053Document]

  init(folder: OutputFolder, zone: TimeZone, options: StatementsOptions) {
    self.folder = folder
    time = LocalTimeFormatter(zone: zone)
    listVoided = options.listVoided
    csv = options.formats.contains(.csv)
    camt = options.camtVersions.map { Camt053Document(version: $0, includePending: options.camtPending) }
  }

  /// The names of a statement's files, whichever of them a run writes.
  static let names = ["transactions", "pending", "entries", "voided"]

  typealias Renderer = (Statement, SymbolTable, LocalTimeFormatter, RenderTarget) throws -> Int

  /// `asOf`: the data's as-of time, which dates camt.053 documents of periods not yet ended.
  func write(_ statement: Statement, symbols: SymbolTable, asOf: Int64) throws(SinkError) {
    if csv {
      try file(statement, "transactions", "csv", symbols, TransactionsCSV.render)
      try file(statement, "pending", "csv", symbols, PendingCSV.render)
      try file(statement, "entries", "csv", symbols, EntriesCSV.render)
      if listVoided { try file(statement, "voided", "csv", symbols, VoidedCSV.render) }
    }
    for document in camt {
      try file(statement, document.version.fileStem, "xml", symbols) { statement, symbols, time, target in
        try document.render(statement, symbols: symbols, time: time, asOf: asOf, to: target)
      }
    }
  }

  private func file(
    _ statement: Statement, _ name: String, _ ext: String, _ symbols: SymbolTable, _ render: Renderer
  ) throws(SinkError) {
    let sink = try folder.output(StatementPaths.file(statement.key, name, ext))
    let rows: Int
    do {
      rows = try render(statement, symbols, time, sink)
    } catch let error as SinkError {
      throw error
    } catch {
      throw .cannotWrite(path: sink.path, reason: "\(error)")
    }
    folder.record(try sink.finish(rows: rows))
  }
}
