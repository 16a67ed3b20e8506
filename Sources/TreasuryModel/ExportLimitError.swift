/// A statement holds a value one of the chosen formats cannot carry exactly: an amount with more digits than
/// it allows, or an id longer than its field or with characters it cannot hold.
///
/// The statement is refused (exit 2) rather than written cut or altered: a cut id could give two entries one
/// id, and a wrong total is worse than none.
package struct ExportLimitError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What does not fit, and why, naming the statement (`fa_1 usd 2026-03: …`).
  package var message: String
  /// The object that holds the value, when one does.
  package var source: SourceLocation?

  package init(_ message: String, source: SourceLocation? = nil) {
    self.message = message
    self.source = source
  }

  package var description: String { message }
}
