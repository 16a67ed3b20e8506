/// Where an object was read: an index into the run's list of input files and a line number (from 1).
package struct SourceLocation: Hashable, Sendable, Comparable {
  package var file: Int32
  package var line: Int32

  package init(file: Int32, line: Int32) {
    self.file = file
    self.line = line
  }

  /// After every real place, as a starting point for a minimum.
  package static let max = SourceLocation(file: .max, line: .max)

  package static func < (a: Self, b: Self) -> Bool {
    (a.file, a.line) < (b.file, b.line)
  }
}
