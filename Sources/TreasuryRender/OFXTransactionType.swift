import TreasuryLedger

/// The OFX TRNTYPE of a Treasury transaction, from its flow type and the direction of its amount.
///
/// Rails the dump does not record (ACH or wire, say) get the generic CREDIT
/// or DEBIT rather than a guess; the flow type itself is in no OFX field, so
/// the mapping keeps what an importer's rules can use: payments, transfers,
/// direct debits, card spend and interest.
package enum OFXTransactionType {
  package static func code(flowType: String, amount: Int64) -> String {
    let credit = Statement.isCredit(amount)
    switch flowType {
    case "received_debit":
      // Pulled by a third party (ACH debit, Stripe network); money given back is a credit.
      return credit ? "CREDIT" : "DIRECTDEBIT"
    case "outbound_payment":
      // A payment to a third party; a returned payment is money back.
      return credit ? "CREDIT" : "PAYMENT"
    case "inbound_transfer", "outbound_transfer":
      // Between the account and the holder's own external account, either way.
      return "XFER"
    case "issuing_authorization":
      return "POS"
    case "interest_payout":
      // INT carries its direction in the sign.
      return "INT"
    default:
      // received_credit, credit_reversal, debit_reversal, other, and flow types added later.
      return credit ? "CREDIT" : "DEBIT"
    }
  }
}
