/// Where an object was read: an index into the run's list of input files and a line number (from 1).
public struct SourceLocation: Hashable, Sendable, Comparable {
  public var file: Int32
  public var line: Int32

  public init(file: Int32, line: Int32) {
    self.file = file
    self.line = line
  }

  /// After every real place, as a starting point for a minimum.
  public static let max = SourceLocation(file: .max, line: .max)

  public static func < (a: Self, b: Self) -> Bool {
    (a.file, a.line) < (b.file, b.line)
  }
}
