import TreasuryInput
import TreasuryLedger
@_spi(Inlining) import TreasuryModel
import TreasuryPartition

/// The exact half of the run-wide id check (`IdIndex` finds suspects by hash): reads the files holding suspect ids
/// again and compares their copies.
///
/// An id under two financial accounts is a contradiction, reported once, between its earliest copy (by file and
/// line) and the earliest copy under another financial account, with every field the two differ in: the same
/// message whatever the layout, the partitioning or the order of reading. Reading again costs time only when the
/// run is about to fail (or, about once in 10^10 runs of a million ids, on a hash collision).
enum IdSplitCheck {
  /// `digests`: each input's SHA-256 from the first read (by run index); a file read differently the second time
  /// changed under the run, and cannot be trusted to confirm or clear a suspect.
  static func conflicts(
    _ suspects: IdIndex.Suspects, in catalog: InputCatalog, digests: [Int32: String], location: (InputFile) -> String
  ) throws(InputError) -> [CopyConflict] {
    guard !suspects.keys.isEmpty else { return [] }
    var copies = SuspectCopies(suspects: suspects.keys)
    var reader = DumpFileReader(keepsText: true)
    for index in suspects.files.sorted() {
      let file = catalog.files[Int(index)]
      var ignored = DiscardedLines()
      let stats = try reader.read(file, from: location(file), index: index, into: &copies, invalid: &ignored)
      if let digest = digests[index], digest != stats.sha256 {
        throw .unreadable(
          path: file.path, reason: "it changed while the run read it; run again once nothing writes to it")
      }
    }
    return copies.conflicts()
  }
}

/// The earliest copy of each suspect id under each financial account.
private struct SuspectCopies: ObjectSink {
  let suspects: Set<IdIndex.Key>
  var symbols = SymbolTable(capacity: 64)
  var transactions: [Pair: TransactionRecord] = [:]
  var entries: [Pair: EntryRecord] = [:]

  struct Pair: Hashable {
    var id: Symbol
    var account: Symbol
  }

  init(suspects: Set<IdIndex.Key>) { self.suspects = suspects }

  mutating func intern(_ bytes: UnsafeRawBufferPointer) -> Symbol { symbols.intern(bytes) }

  mutating func add(transaction t: TransactionRecord) {
    guard suspects.contains(IdIndex.Key(hash: symbols.hash(of: t.id), kind: .transaction)) else { return }
    let pair = Pair(id: t.id, account: t.financialAccount)
    if transactions[pair].map({ t.source < $0.source }) ?? true { transactions[pair] = t }
  }

  mutating func add(entry e: EntryRecord) {
    guard suspects.contains(IdIndex.Key(hash: symbols.hash(of: e.id), kind: .entry)) else { return }
    let pair = Pair(id: e.id, account: e.financialAccount)
    if entries[pair].map({ e.source < $0.source }) ?? true { entries[pair] = e }
  }

  mutating func add(financialAccount: FinancialAccountInfo) {}
  mutating func add(connectedAccount: ConnectedAccountInfo) {}
  mutating func ignore(objectType: String, source: SourceLocation) {}

  func conflicts() -> [CopyConflict] {
    let symbols = self.symbols
    return Self.splits(transactions.values, source: \.source, id: \.id, account: \.financialAccount) { a, b in
      CopyConflict(
        id: symbols.string(a.id), detail: LedgerStore.conflictDetail(a, b, symbols: symbols), first: a.source,
        second: b.source)
    }
      + Self.splits(entries.values, source: \.source, id: \.id, account: \.financialAccount) { a, b in
        CopyConflict(
          id: symbols.string(a.id), detail: LedgerStore.conflictDetail(a, b, symbols: symbols), first: a.source,
          second: b.source)
      }
  }

  /// Per id under two or more accounts: its earliest copy, against the earliest copy under another account.
  private static func splits<Record>(
    _ records: some Sequence<Record>, source: KeyPath<Record, SourceLocation>, id: KeyPath<Record, Symbol>,
    account: KeyPath<Record, Symbol>, _ conflict: (Record, Record) -> CopyConflict
  ) -> [CopyConflict] {
    var byId: [Symbol: [Record]] = [:]
    for record in records { byId[record[keyPath: id], default: []].append(record) }
    var result: [CopyConflict] = []
    for group in byId.values where group.count > 1 {
      let sorted = group.sorted { $0[keyPath: source] < $1[keyPath: source] }
      guard let other = sorted.first(where: { $0[keyPath: account] != sorted[0][keyPath: account] }) else { continue }
      result.append(conflict(sorted[0], other))
    }
    return result
  }
}
