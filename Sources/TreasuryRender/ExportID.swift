import TreasuryLedger
@_spi(Inlining) import TreasuryModel

/// Transaction, flow and financial account ids in the formats that limit them: written exactly, or the
/// statement is refused.
///
/// An id is never cut or cleaned: ids sharing their first 255 characters, or differing only in a character a
/// format cannot hold (`,` in BAI2, `日` in Windows-1252), would become one id. Stripe's ids are about 30 letters,
/// digits and `_`, far inside every limit; only a corrupt or hostile dump meets them. (camt.053's references are
/// optional and are left out instead: `Camt053Document.fitsMax35`.)
enum ExportID {
  /// OFX's FITID (A-255 in OFX 1.02 and 2.2).
  static let ofxLimit = 255
  /// A BAI2 reference must fit one continuation record: `88,` + id + `/` is at most 80 characters.
  static let bai2Limit = BAI2Records.lineLimit - 4
  /// The account number shares the 03 record's first physical record with the currency (`03,` + id + `,USD/`),
  /// where readers such as the `bai2` parser expect both.
  static let bai2AccountLimit = BAI2Records.lineLimit - 8

  /// True when `id` has 1 … `limit` characters, each printable ASCII but a space and the bytes of `excluded`.
  static func fits(_ id: String, limit: Int, excluded: String = "") -> Bool {
    let bytes = id.utf8
    guard !bytes.isEmpty && bytes.count <= limit else { return false }
    // Without exclusions (OFX), spare a walk over `excluded` per byte: it was a sixth of `--format ofx`'s rendering.
    if excluded.isEmpty { return bytes.allSatisfy { $0 > 0x20 && $0 < 0x7F } }
    return bytes.allSatisfy { $0 > 0x20 && $0 < 0x7F && !excluded.utf8.contains($0) }
  }

  /// Checks `id` for `field`; the refusal names the statement, the id (shortened) and its object.
  static func check(
    _ id: String, _ kind: String, field: String, limit: Int, excluded: String = "", in statement: Statement,
    source: SourceLocation?
  ) throws(RenderError) {
    guard !fits(id, limit: limit, excluded: excluded) else { return }
    let key = statement.key
    let also = excluded.isEmpty ? "" : " or " + excluded.map { "'\($0)'" }.joined(separator: " ")
    throw .unrepresentable(
      ExportLimitError(
        "\(key.financialAccount) \(key.currency) \(key.period.label): the \(kind) id \(id.abbreviated()) (\(id.count) characters) does not fit \(field): 1 to \(limit) printable ASCII characters, no spaces\(also); a cut or cleaned id could name two transactions",
        source: source))
  }
}
