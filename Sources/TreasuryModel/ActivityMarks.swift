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
