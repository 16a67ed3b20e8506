@_spi(Inlining) import TreasuryModel

/// What `validate` found in one file.
package struct Camt053FileReport: Sendable {
  package var path: String
  package var version: Camt053Version?
  package var messageID: String?
  package var statements = 0
  package var entries = 0
  /// In document order; at most `Camt053Validator.problemLimit`.
  package var problems: [Camt053Problem] = []
  /// Problems found beyond the limit, not listed.
  package var omittedProblems = 0

  package init(path: String) { self.path = path }

  package var isValid: Bool { problems.isEmpty && omittedProblems == 0 }
  package var problemCount: Int { problems.count + omittedProblems }
}
