@_spi(Inlining) import TreasuryModel

/// A compact binary form of transaction and entry records, for partition files.
///
/// Strings travel as bytes (length-prefixed), so records can move between
/// symbol tables. Native byte order: files never leave the run that wrote them.
package enum SpillCodec {
  static let transactionTag: UInt8 = 1
  static let entryTag: UInt8 = 2
  private static let absent = UInt32.max

  static func append(_ t: TransactionRecord, symbols: SymbolTable, to out: inout [UInt8]) {
    out.append(transactionTag)
    put(t.source.file, &out)
    put(t.source.line, &out)
    for value in [t.amount, t.impact.cash, t.impact.inboundPending, t.impact.outboundPending, t.created] {
      put(value, &out)
    }
    put(t.postedAt ?? .min, &out)
    put(t.voidAt ?? .min, &out)
    out.append(t.status.rawValue)
    out.append(t.livemode ? 1 : 0)
    for symbol in [t.id, t.financialAccount, t.currency, t.flow, t.flowType, t.description] {
      string(symbol, symbols, &out)
    }
  }

  static func append(_ e: EntryRecord, symbols: SymbolTable, to out: inout [UInt8]) {
    out.append(entryTag)
    put(e.source.file, &out)
    put(e.source.line, &out)
    for value in [e.impact.cash, e.impact.inboundPending, e.impact.outboundPending, e.created, e.effectiveAt] {
      put(value, &out)
    }
    out.append(e.livemode ? 1 : 0)
    for symbol in [e.id, e.transaction, e.financialAccount, e.currency, e.type, e.flow, e.flowType] {
      string(symbol, symbols, &out)
    }
  }

  /// Reads every record in `bytes` into `sink`, interning strings through it.
  package static func load<Sink: ObjectSink>(_ bytes: UnsafeRawBufferPointer, into sink: inout Sink) throws(SpillError)
  {
    var reader = Reader(bytes: bytes)
    while !reader.atEnd {
      switch try reader.byte() {
      case transactionTag:
        let source = SourceLocation(file: try reader.value(Int32.self), line: try reader.value(Int32.self))
        let amount = try reader.value(Int64.self)
        let impact = SubBalances(
          cash: try reader.value(Int64.self), inboundPending: try reader.value(Int64.self),
          outboundPending: try reader.value(Int64.self))
        let created = try reader.value(Int64.self)
        let postedAt = try reader.value(Int64.self)
        let voidAt = try reader.value(Int64.self)
        guard let status = TransactionStatus(rawValue: try reader.byte()) else { throw SpillError.corrupt }
        let livemode = try reader.byte() == 1
        let id = try reader.symbol(&sink)
        let account = try reader.symbol(&sink)
        let currency = try reader.symbol(&sink)
        let flow = try reader.symbol(&sink)
        let flowType = try reader.symbol(&sink)
        let description = try reader.symbol(&sink)
        sink.add(
          transaction: TransactionRecord(
            id: id, financialAccount: account, currency: currency, flow: flow, flowType: flowType,
            description: description, amount: amount, impact: impact, created: created, status: status,
            livemode: livemode, postedAt: postedAt == .min ? nil : postedAt, voidAt: voidAt == .min ? nil : voidAt,
            source: source))
      case entryTag:
        let source = SourceLocation(file: try reader.value(Int32.self), line: try reader.value(Int32.self))
        let impact = SubBalances(
          cash: try reader.value(Int64.self), inboundPending: try reader.value(Int64.self),
          outboundPending: try reader.value(Int64.self))
        let created = try reader.value(Int64.self)
        let effectiveAt = try reader.value(Int64.self)
        let livemode = try reader.byte() == 1
        let id = try reader.symbol(&sink)
        let transaction = try reader.symbol(&sink)
        let account = try reader.symbol(&sink)
        let currency = try reader.symbol(&sink)
        let type = try reader.symbol(&sink)
        let flow = try reader.symbol(&sink)
        let flowType = try reader.symbol(&sink)
        sink.add(
          entry: EntryRecord(
            id: id, transaction: transaction, financialAccount: account, currency: currency, type: type, flow: flow,
            flowType: flowType, impact: impact, created: created, effectiveAt: effectiveAt, livemode: livemode,
            source: source))
      default:
        throw SpillError.corrupt
      }
    }
  }

  @inline(__always)
  private static func put<T: FixedWidthInteger>(_ value: T, _ out: inout [UInt8]) {
    withUnsafeBytes(of: value) { out.append(contentsOf: $0) }
  }

  @inline(__always)
  private static func string(_ symbol: Symbol, _ symbols: SymbolTable, _ out: inout [UInt8]) {
    guard !symbol.isNone else { return put(absent, &out) }
    symbols.withBytes(symbol) { bytes in
      put(UInt32(bytes.count), &out)
      out.append(contentsOf: bytes)
    }
  }

  private struct Reader {
    let bytes: UnsafeRawBufferPointer
    var offset = 0

    var atEnd: Bool { offset >= bytes.count }

    mutating func byte() throws(SpillError) -> UInt8 {
      guard offset < bytes.count else { throw SpillError.corrupt }
      defer { offset += 1 }
      return bytes[offset]
    }

    mutating func value<T: FixedWidthInteger>(_: T.Type) throws(SpillError) -> T {
      let size = MemoryLayout<T>.size
      guard offset + size <= bytes.count else { throw SpillError.corrupt }
      defer { offset += size }
      return bytes.loadUnaligned(fromByteOffset: offset, as: T.self)
    }

    mutating func symbol<Sink: ObjectSink>(_ sink: inout Sink) throws(SpillError) -> Symbol {
      let length = try value(UInt32.self)
      if length == SpillCodec.absent { return .none }
      let count = Int(length)
      guard offset + count <= bytes.count else { throw SpillError.corrupt }
      defer { offset += count }
      return sink.intern(UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + count]))
    }
  }
}
