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
    // Over the UTF-8 buffers: `allSatisfy` on the UTF-8 views, with a walk over `excluded` per byte, was a sixth
    // of `--format ofx`'s rendering.
    var id = id
    var excluded = excluded
    return id.withUTF8 { bytes in
      guard !bytes.isEmpty && bytes.count <= limit else { return false }
      return excluded.withUTF8 { banned in
        for byte in bytes where byte <= 0x20 || byte >= 0x7F || banned.contains(byte) { return false }
        return true
      }
    }
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
