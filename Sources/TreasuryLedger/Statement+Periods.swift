@_spi(Inlining) import TreasuryModel

extension [Statement] {
  /// Statements sorted by key, split into runs of one period each, in order.
  package func groupedByPeriod() -> [(period: Period, statements: [Statement])] {
    var groups: [(period: Period, statements: [Statement])] = []
    for statement in self {
      if groups.last?.period == statement.key.period {
        groups[groups.count - 1].statements.append(statement)
      } else {
        groups.append((statement.key.period, [statement]))
      }
    }
    return groups
  }
}
