import Foundation
import Testing

@testable import TreasuryJob
@testable import TreasuryLedger
@_spi(Inlining) @testable import TreasuryModel
@testable import TreasuryRender
@testable import TreasuryValidate
@testable import TreasuryXML

/// Checks the camt.053 documents tests produce, and builds statements for them through the real pipeline.
enum CamtSupport {
  /// The repository's unchanged copies of the official XSDs.
  static func schemaPath(_ version: Camt053Version) -> String {
    TestSupport.root.appendingPathComponent("Sources/CCamtSchemas/schemas/\(version.name).xsd").path
  }

  /// Every problem found in the document at `path` by the in-process validator (libxml2 with the
  /// embedded XSD, plus the checks beyond the schema) and by `xmllint --schema` with the repository's
  /// XSD; empty when both accept it. `stream` makes xmllint validate without building a tree.
  static func problems(file path: String, stream: Bool = false) throws -> [String] {
    let report = try Camt053Validator.validate(path: path)
    let found = report.problems.map { $0.formatted(file: path) }
    guard let version = report.version else { return found + ["\(path): not a camt.053 document"] }
    return found + (try xmllintProblems(file: path, version: version, stream: stream))
  }

  /// What `xmllint --schema` with the repository's XSD of `version` finds in the document at `path`; empty when
  /// it accepts it. `stream` makes xmllint validate without building a tree.
  static func xmllintProblems(file path: String, version: Camt053Version, stream: Bool = false) throws -> [String] {
    let lint = try TestSupport.run(
      "/usr/bin/xmllint", ["--noout"] + (stream ? ["--stream"] : []) + ["--schema", schemaPath(version), path])
    return lint.status == 0 ? [] : ["xmllint (exit \(lint.status)): \(lint.stderr)"]
  }

  /// The `rows` that the `manifest.json` of output folder `out` records, by output path (files without rows
  /// are left out).
  static func manifestRows(_ out: String) throws -> [String: Int] {
    let data = try Data(contentsOf: URL(fileURLWithPath: out + "/manifest.json"))
    let manifest = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let outputs = try #require(manifest["outputs"] as? [[String: Any]])
    var rows: [String: Int] = [:]
    for output in outputs {
      if let path = output["path"] as? String, let count = output["rows"] as? Int { rows[path] = count }
    }
    return rows
  }

  /// The sum of a summary.csv column over its statements.
  static func total(_ column: String, in out: String) -> Int {
    TestSupport.records(out + "/summary.csv").reduce(0) { $0 + (Int($1[column] ?? "") ?? -1_000_000) }
  }

  /// The same for a document in memory (written to a temporary file for xmllint).
  static func problems(bytes: [UInt8]) throws -> [String] {
    let folder = TestSupport.TemporaryFolder()
    let path = folder.file("statement.xml")
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return try problems(file: path)
  }

  /// Every `*.xml` file under `folder`, sorted.
  static func documents(in folder: String) -> [String] {
    TestSupport.tree(folder).keys.filter { $0.hasSuffix(".xml") }.sorted().map { folder + "/" + $0 }
  }

  /// The statements of a JSON-lines dump for the periods overlapping [from, to), built as the tool builds them.
  static func statements(
    _ lines: [String], zone: String = "UTC", interval: Interval = .month, from: Int64, through: Int64
  ) throws -> (statements: [Statement], symbols: SymbolTable) {
    let (store, invalid) = try readDump(lines.joined(separator: "\n"))
    #expect(invalid.isEmpty, "\(invalid.map(\.message))")
    let calendar = PeriodCalendar(zone: try #require(TimeZone(identifier: zone)), interval: interval)
    let periods = calendar.periods(from: from, through: through)
    var result: [Statement] = []
    for ledger in store.ledgers() {
      let fa = store.symbols.string(ledger.financialAccount)
      _ = try StatementBuilder(includeLines: true).build(
        ledger, periods: periods, symbols: store.symbols, account: "", header: store.financialAccounts[fa]
      ) { result.append($0) }
    }
    return (result, store.symbols)
  }

  /// One statement rendered as camt.053.
  static func render(
    _ statement: Statement, _ symbols: SymbolTable, version: Camt053Version = .v02, pending: Bool = false,
    asOf: Int64 = .max, zone: String = "UTC"
  ) throws -> [UInt8] {
    let target = MemoryTarget()
    let time = LocalTimeFormatter(zone: try #require(TimeZone(identifier: zone)))
    _ = try Camt053Document(version: version, includePending: pending).render(
      statement, symbols: symbols, time: time, asOf: asOf, to: target)
    return target.bytes
  }

  /// The document's elements in order, as (path without indexes, text), read back with the streaming reader.
  static func elements(_ bytes: [UInt8]) throws -> [(path: String, text: String)] {
    let reader = try XMLStreamReader(source: MemorySource(bytes), name: "document", schema: nil)
    var stack: [(name: String, text: String)] = []
    var result: [(path: String, text: String)] = []
    while let node = reader.next() {
      switch node {
      case .start(let name, _, _, let isEmpty):
        stack.append((name, ""))
        if isEmpty {
          result.append((stack.map(\.name).joined(separator: "/"), ""))
          stack.removeLast()
        }
      case .end:
        let path = stack.map(\.name).joined(separator: "/")
        result.append((path, stack.removeLast().text))
      case .text(let text):
        if !stack.isEmpty { stack[stack.count - 1].text += text }
      case .documentType:
        break
      }
    }
    #expect(reader.diagnostics.isEmpty, "\(reader.diagnostics)")
    return result
  }

  /// A March 2026 statement with two booked lines on the 5th: a zero amount, then a 10.00 debit. Zero is a
  /// credit in every format; the renderers' tests check each of them against it.
  static func zeroAndADebit() throws -> (statement: Statement, symbols: SymbolTable) {
    let mar1: Int64 = 1_772_323_200  // 2026-03-01T00:00:00Z
    let mar5 = 1_772_668_800  // 2026-03-05T00:00:00Z
    let lines = [
      financialAccountLine(),
      Lines.transaction("trxn_z", amount: 0, created: mar5, posted: mar5, description: "Zero"),
      Lines.entry("trxne_z", transaction: "trxn_z", at: mar5, cash: 0),
      Lines.transaction("trxn_out", amount: -1000, created: mar5 + 1, posted: mar5 + 1, description: "Out"),
      Lines.entry("trxne_out", transaction: "trxn_out", at: mar5 + 1, cash: -1000),
    ]
    let (statements, symbols) = try statements(lines, from: mar1, through: Int64(mar5))
    return (try #require(statements.first), symbols)
  }

  /// The texts of every element at `path` (`Document/BkToCstmrStmt/Stmt/Ntry/Amt`).
  static func texts(_ bytes: [UInt8], _ path: String) throws -> [String] {
    try elements(bytes).filter { $0.path == path }.map(\.text)
  }
}

/// A financial_account line for dumps in tests.
func financialAccountLine(
  _ id: String = "fa_1", holder: String = "Acme Corp", bank: String = "Evolve Bank & Trust",
  routing: String = "084106768"
) -> String {
  #"{"id":"\#(id)","object":"treasury.financial_account","livemode":false,"status":"open","balance":{"cash":{"usd":0},"inbound_pending":{"usd":0},"outbound_pending":{"usd":0}},"financial_addresses":[{"type":"aba","aba":{"account_holder_name":"\#(holder)","bank_name":"\#(bank)","routing_number":"\#(routing)","account_number_last4":"6789"}}],"supported_currencies":["usd"]}"#
}
