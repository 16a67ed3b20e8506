/// One treasury.transaction_entry as read from a dump, in compact form.
package struct EntryRecord: Sendable {
  package var id: Symbol
  package var transaction: Symbol
  package var financialAccount: Symbol
  package var currency: Symbol
  package var type: Symbol
  package var flow: Symbol
  package var flowType: Symbol
  package var impact: SubBalances
  package var created: Int64
  package var effectiveAt: Int64
  package var livemode: Bool
  package var source: SourceLocation

  package init(
    id: Symbol, transaction: Symbol, financialAccount: Symbol, currency: Symbol, type: Symbol,
    flow: Symbol, flowType: Symbol, impact: SubBalances, created: Int64, effectiveAt: Int64,
    livemode: Bool, source: SourceLocation
  ) {
    self.id = id
    self.transaction = transaction
    self.financialAccount = financialAccount
    self.currency = currency
    self.type = type
    self.flow = flow
    self.flowType = flowType
    self.impact = impact
    self.created = created
    self.effectiveAt = effectiveAt
    self.livemode = livemode
    self.source = source
  }

  /// True when both copies say the same thing (the source location aside).
  package func sameContent(as other: EntryRecord) -> Bool {
    id == other.id && transaction == other.transaction
      && financialAccount == other.financialAccount && currency == other.currency
      && type == other.type && flow == other.flow && flowType == other.flowType
      && impact == other.impact && created == other.created && effectiveAt == other.effectiveAt
      && livemode == other.livemode
  }
}
