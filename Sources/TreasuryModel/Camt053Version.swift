/// The versions of ISO 20022 camt.053 (Bank-to-Customer Statement) the tool writes and validates.
public enum Camt053Version: Int, Sendable, CaseIterable, Comparable {
  /// BankToCustomerStatementV02: the version most widely accepted by ERP and accounting importers.
  case v02 = 2
  /// BankToCustomerStatementV08: the CBPR+ / SWIFT-migration baseline.
  case v08 = 8

  /// `camt.053.001.02`.
  package var name: String { "camt.053.001.0\(rawValue)" }

  package var namespace: String { "urn:iso:std:iso:20022:tech:xsd:" + name }

  /// The file name (before any currency suffix) of a statement's document in its folder.
  package var fileStem: String { self == .v02 ? "statement.camt053" : "statement.camt053.08" }

  /// The version whose XML namespace is `namespace`.
  package init?(namespace: String) {
    guard let version = Self.allCases.first(where: { $0.namespace == namespace }) else { return nil }
    self = version
  }

  public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}
