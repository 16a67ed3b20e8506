import TreasuryLedger
@_spi(Inlining) import TreasuryModel

/// The records that wrap a period's BAI2 accounts: file header (01), group header (02), group trailer (98) and
/// file trailer (99).
///
/// One file per period, one group per originator (the bank's ABA routing
/// number; `000000000` when the dump does not have it) and currency, the
/// accounts of a group in financial-account order. Amounts are minor units
/// without a decimal point, as BAI2 implies the currency's decimals.
package enum BAI2File {
  /// Who sends and who receives the file (01): the data comes from Stripe Treasury; the receiver is whoever
  /// runs this tool.
  package static let sender = "STRIPE"
  package static let receiver = "TREASURYREPORT"
  /// The originator of accounts whose routing number is unknown.
  package static let unknownOriginator = "000000000"

  /// `YYMMDD`.
  package static func date(_ date: CivilDate) -> String {
    pad(date.year % 100, 2) + pad(date.month, 2) + pad(date.day, 2)
  }

  /// The originator of a statement's account: its routing number, when the dump has a valid one.
  package static func originator(_ statement: Statement) -> String {
    statement.header?.abaRoutingNumber ?? unknownOriginator
  }

  /// 01: created at `created` (local `YYMMDD`, `HHMM`), identified by `fileID`, variable-length records.
  package static func header(_ records: BAI2Records, created: LocalTimeFormatter, at time: Int64, fileID: String)
    throws(RenderError)
  {
    let local = created.string(time)
    let hhmm = String(local.dropFirst(11).prefix(2)) + String(local.dropFirst(14).prefix(2))
    try records.record("01", [[sender, receiver, date(created.localDate(time)), hhmm, fileID, "", "", "2"]])
  }

  /// 02: a group of the originator's accounts in `currency`, as of the end (2400) of `asOfDate`, final
  /// previous-day data (modifier 2).
  package static func groupHeader(_ records: BAI2Records, originator: String, currency: String, asOfDate: CivilDate)
    throws(RenderError)
  {
    try records.record("02", [["", originator, "1", date(asOfDate), "2400", currency.uppercased(), "2"]])
  }

  /// 98: the sum of the group's account control totals, its number of accounts and of records (02 and 98
  /// included). Totals are exact: BAI2 sets no width, and readers that add them up again (the `bai2` parser)
  /// would find a wrapped one wrong.
  package static func groupTrailer(_ records: BAI2Records, control: Int128, accounts: Int, records count: Int)
    throws(RenderError)
  {
    try records.record("98", [[String(control), String(accounts), String(count)]])
  }

  /// 99: the sum of the group control totals, the number of groups and of records (01 and 99 included).
  package static func fileTrailer(_ records: BAI2Records, control: Int128, groups: Int, records count: Int)
    throws(RenderError)
  {
    try records.record("99", [[String(control), String(groups), String(count)]])
  }
}
