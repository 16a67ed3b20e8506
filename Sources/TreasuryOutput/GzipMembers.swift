@_spi(Inlining) import TreasuryModel

/// A gzip file written as a sequence of members, so that an already-compressed member can be copied in as it is.
///
/// Concatenated members are one gzip stream to every reader (`gzip -d`, GNU
/// tar, Python). A period archive puts each file's content in a member of its
/// own: with `--gzip` that member is exactly the file's `.gz` output and is
/// copied without compressing again; without it the same bytes are made fresh,
/// so the archive is identical either way.
package final class GzipMembers: RenderTarget {
  private let sink: RenderTarget
  private let level: Int32
  private var current: GzipTarget?

  package init(into sink: RenderTarget, level: Int32) {
    self.sink = sink
    self.level = level
  }

  /// Compresses into the current member, starting one if none is open.
  package func write(_ bytes: UnsafeRawBufferPointer) throws(OutputError) {
    if current == nil { current = try GzipTarget(into: sink, level: level) }
    try current?.write(bytes)
  }

  /// Ends the current member and starts a new one, even if nothing is written to it
  /// (an empty file is still one member, as its `.gz` output is).
  package func startMember() throws(OutputError) {
    try endMember()
    current = try GzipTarget(into: sink, level: level)
  }

  /// Ends the current member, if one is open.
  package func endMember() throws(OutputError) {
    try current?.finish()
    current = nil
  }

  /// Ends the current member and copies a complete, already-compressed member.
  package func copyMember(_ compressed: UnsafeRawBufferPointer) throws(OutputError) {
    try endMember()
    try sink.write(compressed)
  }

  package func finish() throws(OutputError) { try endMember() }
}
