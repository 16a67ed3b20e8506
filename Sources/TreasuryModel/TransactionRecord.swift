/// One copy of a treasury.transaction as read from a dump, in compact form.
///
/// Strings are symbols of the `SymbolTable` that decoded it.
package struct TransactionRecord: Sendable {
  package var id: Symbol
  package var financialAccount: Symbol
  package var currency: Symbol
  package var flow: Symbol
  package var flowType: Symbol
  /// `Symbol.none` when descriptions are not needed (summary-only runs).
  package var description: Symbol
  package var amount: Int64
  package var impact: SubBalances
  package var created: Int64
  package var status: TransactionStatus
  package var livemode: Bool
  package var postedAt: Int64?
  package var voidAt: Int64?
  package var source: SourceLocation

  package init(
    id: Symbol, financialAccount: Symbol, currency: Symbol, flow: Symbol, flowType: Symbol,
    description: Symbol, amount: Int64, impact: SubBalances, created: Int64,
    status: TransactionStatus, livemode: Bool, postedAt: Int64?, voidAt: Int64?,
    source: SourceLocation
  ) {
    self.id = id
    self.financialAccount = financialAccount
    self.currency = currency
    self.flow = flow
    self.flowType = flowType
    self.description = description
    self.amount = amount
    self.impact = impact
    self.created = created
    self.status = status
    self.livemode = livemode
    self.postedAt = postedAt
    self.voidAt = voidAt
    self.source = source
  }

  /// When the transaction left `open`, if it has.
  package var resolvedAt: Int64? { postedAt ?? voidAt }

  /// True when both copies say the same thing (the source location aside).
  package func sameContent(as other: TransactionRecord) -> Bool {
    id == other.id && financialAccount == other.financialAccount && currency == other.currency
      && flow == other.flow && flowType == other.flowType && description == other.description
      && amount == other.amount && impact == other.impact && created == other.created
      && status == other.status && livemode == other.livemode && postedAt == other.postedAt
      && voidAt == other.voidAt
  }
}
