import TreasuryLedger

/// The BAI2 detail type code (16 record) of a Treasury transaction, from its flow type, the type of its
/// entries and the direction of its amount.
///
/// Codes come from the BAI2 list (Cash Management Balance Reporting
/// Specifications, version 2): 1xx–3xx are credits, 4xx–6xx debits, so the
/// direction always agrees with the amount's sign. Where the dump does not
/// say which rail moved the money (ACH, wire, the Stripe network, a card),
/// the code is the rail-neutral "any type" one rather than a guess; the
/// entry type tells a return (`outbound_payment_return`,
/// `inbound_transfer_return`, …) from the flow's usual movement.
package enum BAI2TypeCode {
  /// Opening ledger, closing ledger, opening available, closing available (03 status codes).
  package static let openingLedger = "010"
  package static let closingLedger = "015"
  package static let openingAvailable = "040"
  package static let closingAvailable = "045"
  /// Total credits and total debits, with item counts (03 summary codes).
  package static let totalCredits = "100"
  package static let totalDebits = "400"

  /// `isReturn`: one of the transaction's entries in the period has a `…_return` type.
  package static func detail(flowType: String, amount: Int64, isReturn: Bool) -> String {
    let credit = Statement.isCredit(amount)
    switch flowType {
    case "received_credit":
      // Credit (Any Type): ACH credit, wire or Stripe transfer in; taken back: Credit Reversal.
      return credit ? "108" : "552"
    case "credit_reversal":
      // The holder sends a received credit back: Credit Reversal.
      return credit ? "399" : "552"
    case "received_debit":
      // Debit (Any Type): an ACH or card debit pulled by a third party; money given back: Debit Reversal.
      return credit ? "252" : "409"
    case "debit_reversal":
      return credit ? "252" : "699"
    case "inbound_transfer":
      // ACH Concentration Credit: the holder's own funds pulled in by ACH; returned: Individual ACH Return Item.
      if credit { return "145" }
      return isReturn ? "557" : "699"
    case "outbound_transfer", "outbound_payment":
      // Sent out (Debit, Any Type); a returned transfer or payment: Return Item (credit).
      if !credit { return "409" }
      return isReturn ? "266" : "399"
    case "issuing_authorization":
      // Card spend held on the account; released or refunded: Miscellaneous Credit.
      return credit ? "399" : "409"
    case "interest_payout":
      return credit ? "354" : "654"
    default:
      // other, and flow types added later: Miscellaneous Credit / Debit.
      return credit ? "399" : "699"
    }
  }
}
