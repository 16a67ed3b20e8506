import TreasuryLedger
@_spi(Inlining) import TreasuryModel

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Phase A of a partitioned unit: routes each decoded record to a temporary file chosen by its financial account.
///
/// Used when one connected account's input is too large to hold at once.
/// Memory stays at one small buffer per partition: records leave as they
/// arrive, and the symbol table is recycled (with `symbolGeneration` bumped)
/// once it grows. Financial account and account objects are few and stay in
/// memory, deduplicated by the same rules as the ledger store.
package struct PartitionWriter: ObjectSink, Sendable {
  let folder: String
  let worker: Int
  let partitions: Int
  private(set) var symbols = SymbolTable(capacity: 1 << 14)
  package private(set) var symbolGeneration = 0
  /// Symbol index + 1 → partition + 1, for the account symbols seen since the last recycle.
  private var partitionOf: [Int32] = []
  private var buffers: [[UInt8]]
  private var files: [SpillFile]
  /// Financial accounts, connected accounts and ignored types: kept here, not spilled.
  package private(set) var objects = LedgerStore(capacity: 64)
  package private(set) var livemode = LivemodeSeen()
  /// The span's ends since the last symbol recycle, and (with ids as strings) before it.
  private var activity = ActivityMarks()
  private var recycledSpan = ActivitySpan()
  package private(set) var failure: SpillError?
  /// Every transaction and entry copy is noted here for the run-wide id check (`IdIndex`).
  private var sightings: IdRecorder

  /// Small: every worker keeps one buffer per partition (up to 256) filling at once.
  static let flushAt = 1 << 15
  static let recycleAt = 1 << 16

  package init(folder: String, worker: Int, partitions: Int, sightings: IdRecorder) {
    self.folder = folder
    self.worker = worker
    self.partitions = partitions
    self.sightings = sightings
    buffers = Array(repeating: [], count: partitions)
    files = (0..<partitions).map { SpillFile(path: Self.path(folder: folder, partition: $0, worker: worker)) }
  }

  package static func path(folder: String, partition: Int, worker: Int) -> String {
    folder + "/p\(partition)-w\(worker).bin"
  }

  package mutating func intern(_ bytes: UnsafeRawBufferPointer) -> Symbol {
    symbols.intern(bytes)
  }

  package mutating func add(transaction t: TransactionRecord) {
    livemode.note(t.livemode, t.source)
    sightings.note(.transaction, id: t.id, account: t.financialAccount, file: t.source.file, symbols: symbols)
    activity.note(t.created, t.source, t.id)
    if let at = t.resolvedAt { activity.note(at, t.source, t.id) }
    let p = partition(of: t.financialAccount)
    SpillCodec.append(t, symbols: symbols, to: &buffers[p])
    finishRecord(p)
  }

  package mutating func add(entry e: EntryRecord) {
    livemode.note(e.livemode, e.source)
    sightings.note(.entry, id: e.id, account: e.financialAccount, file: e.source.file, symbols: symbols)
    activity.note(e.effectiveAt, e.source, e.id)
    activity.note(e.created, e.source, e.id)
    let p = partition(of: e.financialAccount)
    SpillCodec.append(e, symbols: symbols, to: &buffers[p])
    finishRecord(p)
  }

  package mutating func add(financialAccount info: FinancialAccountInfo) {
    livemode.note(info.livemode, info.source)
    objects.add(financialAccount: info)
  }

  package mutating func add(connectedAccount info: ConnectedAccountInfo) { objects.add(connectedAccount: info) }

  package mutating func ignore(objectType: String, source: SourceLocation) {
    objects.ignore(objectType: objectType, source: source)
  }

  /// The earliest and latest activity this writer routed, with their objects.
  package var activitySpan: ActivitySpan {
    var span = recycledSpan
    span.merge(activity.span(symbols))
    return span
  }

  /// Writes what is still buffered and closes the files (the sightings' too).
  package mutating func finish() {
    sightings.finish()
    for p in 0..<partitions where !buffers[p].isEmpty { flush(p) }
    for p in 0..<partitions { files[p].close() }
    // The writer outlives phase A (for its objects and span): its buffers' capacity must not.
    buffers = []
    partitionOf = []
  }

  // MARK: Helpers

  private mutating func partition(of account: Symbol) -> Int {
    let index = Int(account.index)
    if index < partitionOf.count, partitionOf[index] > 0 { return Int(partitionOf[index]) - 1 }
    let p = symbols.withBytes(account) { Self.partition(of: $0, among: partitions) }
    if index >= partitionOf.count {
      partitionOf.append(contentsOf: repeatElement(0, count: index + 1 - partitionOf.count))
    }
    partitionOf[index] = Int32(p + 1)
    return p
  }

  /// The partition of a financial account id: the same in every worker.
  static func partition(of id: UnsafeRawBufferPointer, among count: Int) -> Int {
    Int(SymbolTable.hash(id) % UInt64(count))
  }

  private mutating func finishRecord(_ p: Int) {
    if buffers[p].count >= Self.flushAt { flush(p) }
    // Only between records: a record's symbols must stay valid until it is written.
    if symbols.count >= Self.recycleAt {
      // The span's ids are symbols of this table: keep them as strings first.
      recycledSpan.merge(activity.span(symbols))
      activity = ActivityMarks()
      symbols.removeAll()
      partitionOf.removeAll(keepingCapacity: true)
      sightings.forgetSymbols()
      symbolGeneration += 1
    }
  }

  private mutating func flush(_ p: Int) {
    if failure == nil {
      buffers[p].withUnsafeBytes { files[p].append($0) }
      failure = files[p].failure
    }
    buffers[p].removeAll(keepingCapacity: true)
  }
}
