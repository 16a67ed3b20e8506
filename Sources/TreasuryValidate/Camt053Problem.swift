import TreasuryModel

/// One thing wrong with a camt.053 document: where (line and element path) and what.
package struct Camt053Problem: Sendable, Equatable {
  /// 1-based line, 0 when unknown.
  package var line: Int
  /// The element, as `/Document/BkToCstmrStmt/Stmt[1]/Ntry[3]/Amt`; empty for the document as a whole.
  package var path: String
  package var message: String

  package init(line: Int, path: String, message: String) {
    self.line = line
    self.path = path
    self.message = message
  }

  /// `FILE:LINE: error: PATH: message`.
  package func formatted(file: String) -> String {
    let location = line > 0 ? "\(file):\(line)" : file
    return "\(location): error: " + (path.isEmpty ? "" : path + ": ") + message
  }
}

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
