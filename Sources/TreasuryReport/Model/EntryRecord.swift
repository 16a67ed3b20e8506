/// One treasury.transaction_entry as read from a dump, in compact form.
public struct EntryRecord: Sendable {
  public var id: Symbol
  public var transaction: Symbol
  public var financialAccount: Symbol
  public var currency: Symbol
  public var type: Symbol
  public var flow: Symbol
  public var flowType: Symbol
  public var impact: SubBalances
  public var created: Int64
  public var effectiveAt: Int64
  public var livemode: Bool
  public var source: SourceLocation

  public init(
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
  public func sameContent(as other: EntryRecord) -> Bool {
    id == other.id && transaction == other.transaction
      && financialAccount == other.financialAccount && currency == other.currency
      && type == other.type && flow == other.flow && flowType == other.flowType
      && impact == other.impact && created == other.created && effectiveAt == other.effectiveAt
      && livemode == other.livemode
  }
}
