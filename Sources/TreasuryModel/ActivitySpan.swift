/// The earliest and latest activity (created, effective, posted, voided) in the input, and the objects that
/// carry them, so that a run refusing its span can name both.
package struct ActivitySpan: Sendable, Equatable {
  /// One end of the span: the instant, and the id and place of the object it was read from.
  package struct End: Sendable, Equatable {
    package var time: Int64
    package var id: String
    package var source: SourceLocation
  }

  package var first: End?
  package var last: End?

  package init(first: End? = nil, last: End? = nil) {
    self.first = first
    self.last = last
  }

  package var firstTime: Int64 { first?.time ?? .max }
  package var lastTime: Int64 { last?.time ?? .min }

  /// Widens the span to hold `other`. Between equal instants the object read first (file, then line) wins, so the
  /// result is the same in whatever order spans are merged.
  package mutating func merge(_ other: ActivitySpan) {
    if let o = other.first, first.map({ (o.time, o.source) < ($0.time, $0.source) }) ?? true { first = o }
    if let o = other.last, last.map({ o.time > $0.time || (o.time == $0.time && o.source < $0.source) }) ?? true {
      last = o
    }
  }
}

/// The span's ends while objects are read: instants, sources and id symbols, turned into strings only when asked
/// (a sorted dump moves the latest end at every object).
package struct ActivityMarks: Sendable {
  package private(set) var first: Int64 = .max
  package private(set) var last: Int64 = .min
  private var firstSource = SourceLocation(file: .max, line: .max)
  private var lastSource = SourceLocation(file: .max, line: .max)
  private var firstID = Symbol.none
  private var lastID = Symbol.none

  package init() {}

  @inline(__always)
  package mutating func note(_ time: Int64, _ source: SourceLocation, _ id: Symbol) {
    if time < first || (time == first && source < firstSource) {
      first = time
      firstSource = source
      firstID = id
    }
    if time > last || (time == last && source < lastSource) {
      last = time
      lastSource = source
      lastID = id
    }
  }

  /// The span, with ids read from `symbols` (the table the noted ids belong to).
  package func span(_ symbols: SymbolTable) -> ActivitySpan {
    guard first <= last else { return ActivitySpan() }
    return ActivitySpan(
      first: .init(time: first, id: symbols.string(firstID), source: firstSource),
      last: .init(time: last, id: symbols.string(lastID), source: lastSource))
  }
}
