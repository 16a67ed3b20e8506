@_spi(Inlining) import TreasuryModel

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
