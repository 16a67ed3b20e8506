import Foundation
import Testing

@testable import TreasuryInput
@testable import TreasuryJob
@testable import TreasuryLedger
@_spi(Inlining) @testable import TreasuryModel
@testable import TreasuryPartition

/// The run-wide id check at the library level: sightings noted by stores, suspects found in bounded passes, and
/// suspects confirmed only by comparing the copies themselves.
@Suite struct IdIndexTests {
  /// Reads each text as one file through its own store (as separate units would), then runs the whole check.
  static func check(_ texts: [String], passLimit: Int = 1 << 19) throws -> (IdIndex.Suspects, [CopyConflict]) {
    let folder = TestSupport.TemporaryFolder()
    let index = IdIndex(folder: folder.file(".ids"), passLimit: passLimit)
    var files: [InputFile] = []
    for (i, text) in texts.enumerated() {
      let file = InputFile(path: folder.write("\(i).jsonl", text), format: .jsonLines, gzip: false, account: "")
      files.append(file)
      var store = LedgerStore()
      store.sightings = index.recorder()
      var invalid: [InvalidLine] = []
      var reader = DumpFileReader()
      _ = try reader.read(file, index: Int32(i), into: &store, invalid: &invalid)
      #expect(invalid.isEmpty)
      #expect(store.conflicts.isEmpty, "the store leaves copies under two accounts to the index")
      store.sightings?.finish()
    }
    let suspects = try index.suspects()
    let conflicts = try IdSplitCheck.conflicts(suspects, in: InputCatalog(files: files, skipped: []), digests: [:]) {
      $0.path
    }
    index.remove()
    #expect(!FileManager.default.fileExists(atPath: folder.file(".ids")))
    return (suspects, conflicts)
  }

  @Test func aTransactionInTwoFinancialAccounts() throws {
    let one = Lines.transaction("trxn_1", amount: 500, flowType: "received_credit")
    let two = Lines.transaction("trxn_1", amount: 500, fa: "fa_2", flowType: "received_credit")
    let (_, conflicts) = try Self.check([one + "\n" + two])
    #expect(conflicts.map(\.detail) == ["financial_account fa_1 against fa_2"])
    #expect(conflicts.map(\.first) == [SourceLocation(file: 0, line: 1)])
    #expect(conflicts.map(\.second) == [SourceLocation(file: 0, line: 2)])
  }

  @Test func anEntryInTwoFinancialAccountsInTwoFiles() throws {
    let one = Lines.entry("trxne_1", transaction: "trxn_1", at: 1_767_225_600, cash: 500)
    let two = Lines.entry("trxne_1", transaction: "trxn_1", at: 1_767_225_600, cash: 500, fa: "fa_2")
    let (suspects, conflicts) = try Self.check(["\n" + two, one])
    #expect(suspects.files == [0, 1])
    #expect(
      conflicts.map(\.detail) == ["entries never change, but two copies differ: financial_account fa_2 against fa_1"])
    #expect(conflicts.map(\.first) == [SourceLocation(file: 0, line: 2)])
    #expect(conflicts.map(\.second) == [SourceLocation(file: 1, line: 1)])
  }

  /// A transaction id and an entry id may be equal: they name different objects.
  @Test func kindsAreApart() throws {
    let t = Lines.transaction("x_1", amount: 500, flowType: "received_credit")
    let e = Lines.entry("x_1", transaction: "x_1", at: 1_767_225_600, cash: 500, fa: "fa_2")
    let (suspects, conflicts) = try Self.check([t, e])
    #expect(suspects.keys.isEmpty)
    #expect(conflicts.isEmpty)
  }

  /// Many small passes find exactly what one pass finds: every split id, in any pass, and nothing else.
  @Test func passesOverSlicesOfTheHashSpace() throws {
    var lines: [String] = []
    for i in 0..<500 {
      lines.append(Lines.transaction("trxn_\(i)", amount: 100 + i, fa: "fa_\(i % 3)", flowType: "received_credit"))
    }
    var other = lines
    for i in stride(from: 0, to: 500, by: 50) {
      other[i] = other[i].replacingOccurrences(of: "fa_\(i % 3)", with: "fa_9")
    }
    let texts = [
      lines.joined(separator: "\n"), lines.reversed().joined(separator: "\n"), other.joined(separator: "\n"),
    ]
    let (whole, wholeConflicts) = try Self.check(texts)
    let (sliced, slicedConflicts) = try Self.check(texts, passLimit: 16)
    #expect(whole.keys.count == 10)
    #expect(sliced.keys == whole.keys)
    #expect(sliced.files == [0, 1, 2])
    let ids = { (conflicts: [CopyConflict]) in Set(conflicts.map(\.id)) }
    #expect(ids(wholeConflicts) == Set(stride(from: 0, to: 500, by: 50).map { "trxn_\($0)" }))
    #expect(ids(slicedConflicts) == ids(wholeConflicts))
  }

  /// A hash only names a suspect: copies of a suspect that agree on their account (as two ids of equal hash would)
  /// are no contradiction.
  @Test func aSuspectIsConfirmedByItsCopies() throws {
    let folder = TestSupport.TemporaryFolder()
    let line = Lines.transaction("trxn_1", amount: 500, flowType: "received_credit")
    let file = InputFile(
      path: folder.write("a.jsonl", line + "\n" + line), format: .jsonLines, gzip: false, account: "")
    var symbols = SymbolTable()
    let id = symbols.intern("trxn_1")
    let hash = symbols.hash(of: id)
    let suspects = IdIndex.Suspects(keys: [IdIndex.Key(hash: hash, kind: .transaction)], files: [0])
    let conflicts = try IdSplitCheck.conflicts(suspects, in: InputCatalog(files: [file], skipped: []), digests: [:]) {
      $0.path
    }
    #expect(conflicts.isEmpty)
  }

  /// A suspect's file that reads differently the second time changed under the run: neither confirmed nor cleared.
  @Test func aFileChangedBetweenReadsIsAnError() throws {
    let folder = TestSupport.TemporaryFolder()
    let line = Lines.transaction("trxn_1", amount: 500, flowType: "received_credit")
    let file = InputFile(path: folder.write("a.jsonl", line), format: .jsonLines, gzip: false, account: "")
    var symbols = SymbolTable()
    let id = symbols.intern("trxn_1")
    let suspects = IdIndex.Suspects(keys: [IdIndex.Key(hash: symbols.hash(of: id), kind: .transaction)], files: [0])
    #expect(throws: InputError.self) {
      try IdSplitCheck.conflicts(
        suspects, in: InputCatalog(files: [file], skipped: []), digests: [0: String(repeating: "0", count: 64)]
      ) { $0.path }
    }
  }

  /// A sighting file that cannot be written makes the check fail (exit 4), never pass unchecked.
  @Test func anUnwritableIndexFailsTheCheck() throws {
    let folder = TestSupport.TemporaryFolder()
    folder.write(".ids", "a file where the folder should be")
    let index = IdIndex(folder: folder.file(".ids"))
    var recorder = index.recorder()
    var symbols = SymbolTable()
    let id = symbols.intern("trxn_1")
    recorder.note(.transaction, id: id, account: symbols.intern("fa_1"), file: 0, symbols: symbols)
    recorder.finish()
    #expect(throws: SpillError.self) { try index.suspects() }
  }
}
