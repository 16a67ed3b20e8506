import TreasuryLedger

/// An ISO 20022 bank transaction code (domain, family, sub-family) for a Treasury transaction.
///
/// Chosen from the flow type and the direction of the money: each flow's usual
/// direction gets its own code, the opposite direction (a return or a
/// reversal of that flow) the matching reversal code. Flow types this table
/// does not know (`other`, or ones Stripe adds later) get the generic
/// miscellaneous credit or debit operation; the statement's proprietary code
/// always carries the flow type as it is, so nothing is lost.
package struct BankTransactionCode: Sendable, Equatable, CustomStringConvertible {
  package var domain: String
  package var family: String
  package var subFamily: String

  package init(_ domain: String, _ family: String, _ subFamily: String) {
    self.domain = domain
    self.family = family
    self.subFamily = subFamily
  }

  /// `PMNT/RCDT/DMCT`.
  package var description: String { domain + "/" + family + "/" + subFamily }

  /// The code for a transaction of `flowType` whose signed amount is `amount` (zero counts as a credit).
  package static func code(flowType: String, amount: Int64) -> BankTransactionCode {
    let credit = Statement.isCredit(amount)
    switch flowType {
    case "received_credit":
      // A received credit transfer (ACH credit, wire); taken back: its reversal.
      return credit ? .init("PMNT", "RCDT", "DMCT") : .init("PMNT", "RCDT", "RRTN")
    case "credit_reversal":
      // The account holder returns a received credit.
      return credit ? generic(credit) : .init("PMNT", "RCDT", "RRTN")
    case "received_debit":
      // A direct debit pulled by a third party (ACH debit); given back: return of the debit.
      return credit ? .init("PMNT", "RDDT", "UPDD") : .init("PMNT", "RDDT", "PMDD")
    case "debit_reversal":
      // The account holder returns a received debit.
      return credit ? .init("PMNT", "RDDT", "UPDD") : generic(credit)
    case "inbound_transfer":
      // Funds pulled in from the holder's own external account; returned unpaid: an unpaid direct debit.
      return credit ? .init("PMNT", "RCCN", "COAT") : .init("PMNT", "IDDT", "UPDD")
    case "outbound_transfer":
      // Funds sent to the holder's own external account; returned: a returned credit transfer.
      return credit ? .init("PMNT", "ICDT", "RRTN") : .init("PMNT", "ICCN", "COAT")
    case "outbound_payment":
      // A payment to a third party (ACH credit or wire); returned: a returned credit transfer.
      return credit ? .init("PMNT", "ICDT", "RRTN") : .init("PMNT", "ICDT", "DMCT")
    case "issuing_authorization":
      // A card spend on the account; money coming back on a card is a reimbursement.
      return credit ? .init("PMNT", "CCRD", "RIMB") : .init("PMNT", "CCRD", "POSD")
    case "interest_payout":
      return credit ? .init("ACMT", "MCOP", "INTR") : .init("ACMT", "MDOP", "INTR")
    default:
      return generic(credit)
    }
  }

  /// Miscellaneous credit or debit operation, sub-family "other".
  static func generic(_ credit: Bool) -> BankTransactionCode {
    credit ? .init("PMNT", "MCOP", "OTHR") : .init("PMNT", "MDOP", "OTHR")
  }
}
