import Foundation

/// Writes one statement's files into the output folder.
struct StatementFiles {
  let folder: OutputFolder
  let time: LocalTimeFormatter
  let listVoided: Bool

  /// The names of a statement's files, whichever of them a run writes.
  static let names = ["transactions", "pending", "entries", "voided"]

  typealias Renderer = (Statement, SymbolTable, LocalTimeFormatter, RenderTarget) throws -> Int

  func write(_ statement: Statement, symbols: SymbolTable) throws(SinkError) {
    try file(statement, "transactions", symbols, TransactionsCSV.render)
    try file(statement, "pending", symbols, PendingCSV.render)
    try file(statement, "entries", symbols, EntriesCSV.render)
    if listVoided { try file(statement, "voided", symbols, VoidedCSV.render) }
  }

  private func file(_ statement: Statement, _ name: String, _ symbols: SymbolTable, _ render: Renderer)
    throws(SinkError)
  {
    let sink = try folder.output(StatementPaths.file(statement.key, name, "csv"))
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
