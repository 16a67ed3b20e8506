/// Receives the objects decoded from dumps.
///
/// The ledger's store implements it; decoding interns strings through it so
/// that records and the table that names their symbols stay together.
package protocol ObjectSink {
  mutating func intern(_ bytes: UnsafeRawBufferPointer) -> Symbol
  /// Changes whenever earlier symbols stop being valid (a sink that recycles its table); decoders' caches check it.
  var symbolGeneration: Int { get }
  mutating func add(transaction: TransactionRecord)
  mutating func add(entry: EntryRecord)
  mutating func add(financialAccount: FinancialAccountInfo)
  mutating func add(connectedAccount: ConnectedAccountInfo)
  /// An object of a type the tool does not read (counted, never silently dropped).
  mutating func ignore(objectType: String, source: SourceLocation)
}

extension ObjectSink {
  /// Sinks that never recycle their symbol table.
  package var symbolGeneration: Int { 0 }
}
