import TreasuryInput
@_spi(Inlining) import TreasuryModel

/// The inputs of one connected account: read, deduplicated and turned into statements together.
struct Unit: Sendable {
  var account: String
  var files: [(index: Int32, file: InputFile)]

  /// `FILE:LINE` of an object read from one of the unit's files.
  func path(_ source: SourceLocation) -> String {
    "\(files.first { $0.index == source.file }?.file.path ?? "?"):\(source.line)"
  }
}
