/// One thing wrong with a camt.053 document: where (line and element path) and what.
public struct Camt053Problem: Sendable, Equatable {
  /// 1-based line, 0 when unknown.
  public var line: Int
  /// The element, as `/Document/BkToCstmrStmt/Stmt[1]/Ntry[3]/Amt`; empty for the document as a whole.
  public var path: String
  public var message: String

  public init(line: Int, path: String, message: String) {
    self.line = line
    self.path = path
    self.message = message
  }

  /// `FILE:LINE: error: PATH: message`.
  public func formatted(file: String) -> String {
    let location = line > 0 ? "\(file):\(line)" : file
    return "\(location): error: " + (path.isEmpty ? "" : path + ": ") + message
  }
}

/// What `validate` found in one file.
public struct Camt053FileReport: Sendable {
  public var path: String
  public var version: Camt053Version?
  public var messageID: String?
  public var statements = 0
  public var entries = 0
  /// In document order; at most `Camt053Validator.problemLimit`.
  public var problems: [Camt053Problem] = []
  /// Problems found beyond the limit, not listed.
  public var omittedProblems = 0

  public init(path: String) { self.path = path }

  public var isValid: Bool { problems.isEmpty && omittedProblems == 0 }
  public var problemCount: Int { problems.count + omittedProblems }
}
