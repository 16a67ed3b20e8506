import TreasuryLedger
@_spi(Inlining) import TreasuryModel

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One worker's writer of id sightings (see `IdIndex`); `finish()` hands its file to the index.
package struct IdRecorder: IdSightings {
  let index: IdIndex
  private var file: SpillFile
  private var buffer: [IdIndex.Sighting] = []
  /// Symbol index → account number + 1 (0: not looked up yet), for the sink's current symbol table.
  private var numbers: [UInt32] = []

  static let flushAt = 1 << 13

  init(index: IdIndex, path: String) {
    self.index = index
    file = SpillFile(path: path, folder: index.folder)
  }

  /// Notes one copy of an id; `symbols` is the table `id` and `account` belong to.
  package mutating func note(_ kind: IdIndex.Kind, id: Symbol, account: Symbol, file: Int32, symbols: SymbolTable) {
    guard !id.isNone else { return }
    buffer.append(
      IdIndex.Sighting(
        hash: symbols.hash(of: id), account: number(account, symbols),
        fileAndKind: UInt32(bitPattern: file) << 1 | kind.rawValue))
    if buffer.count >= Self.flushAt { flush() }
  }

  /// The sink's symbol table was emptied: symbols name other strings from now on.
  package mutating func forgetSymbols() {
    numbers.removeAll(keepingCapacity: true)
  }

  /// Writes what is buffered, closes the file and hands it to the index.
  package mutating func finish() {
    flush()
    file.close()
    index.finished(file: file.exists ? file.path : nil, failure: file.failure)
  }

  private mutating func number(_ account: Symbol, _ symbols: SymbolTable) -> UInt32 {
    guard !account.isNone else { return symbols.withBytes(account) { index.number(of: $0) } }
    let slot = Int(account.index)
    if slot < numbers.count, numbers[slot] > 0 { return numbers[slot] - 1 }
    let n = symbols.withBytes(account) { index.number(of: $0) }
    if slot >= numbers.count { numbers.append(contentsOf: repeatElement(0, count: slot + 1 - numbers.count)) }
    numbers[slot] = n + 1
    return n
  }

  private mutating func flush() {
    buffer.withUnsafeBytes { file.append($0) }
    buffer.removeAll(keepingCapacity: true)
  }
}
