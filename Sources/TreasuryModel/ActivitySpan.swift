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
