import Foundation
import Testing

@_spi(Inlining) @testable import TreasuryModel
@testable import TreasuryValidate

private let mar1: Int64 = 1_772_323_200  // 2026-03-01T00:00:00Z
private let mar5: Int64 = 1_772_668_800
private let mar10: Int64 = 1_773_100_800

/// A valid March statement: +100.00 and −30.00 booked.
private func document(_ version: Camt053Version = .v02) throws -> String {
  let lines = [
    financialAccountLine(),
    Lines.transaction("trxn_in", amount: 10000, created: Int(mar5), posted: Int(mar5), flowType: "received_credit"),
    Lines.entry("trxne_1", transaction: "trxn_in", at: Int(mar5), cash: 10000, type: "received_credit"),
    Lines.transaction("trxn_pay", amount: -3000, created: Int(mar10), posted: Int(mar10)),
    Lines.entry("trxne_2", transaction: "trxn_pay", at: Int(mar10), cash: -3000),
  ]
  let (statements, symbols) = try CamtSupport.statements(lines, from: mar1, through: mar10)
  let bytes = try CamtSupport.render(try #require(statements.first), symbols, version: version)
  return String(decoding: bytes, as: UTF8.self)
}

/// Replaces the `occurrence`-th (1-based) match of `target`.
private func replacing(_ text: String, _ target: String, with replacement: String, occurrence: Int = 1) -> String {
  var rest = Substring(text)
  var result = ""
  var seen = 0
  while let range = rest.range(of: target) {
    seen += 1
    result += rest[..<range.lowerBound]
    result += seen == occurrence ? replacement : target
    rest = rest[range.upperBound...]
  }
  return result + rest
}

private func problems(_ text: String) throws -> [Camt053Problem] {
  try Camt053Validator.validate(name: "doc.xml") { MemorySource(Array(text.utf8)) }.problems
}

@Suite struct Camt053ValidatorTests {
  @Test(arguments: Camt053Version.allCases)
  func acceptsWhatTheToolWrites(version: Camt053Version) throws {
    let bytes = Array(try document(version).utf8)
    let report = try Camt053Validator.validate(name: "doc.xml") { MemorySource(bytes) }
    #expect(report.problems == [])
    #expect(report.version == version && report.statements == 1 && report.entries == 2)
    #expect(report.messageID?.hasPrefix("TR") == true)
  }

  @Test func schemaErrorsCarryTheirElementPathAndLine() throws {
    let text = replacing(try document(), "<Sts>BOOK</Sts>", with: "<Sts>BOOKED</Sts>", occurrence: 2)
    // (The entry no longer counts as booked, so the arithmetic checks complain too.)
    let found = try problems(text)
    let problem = try #require(found.first { $0.path.hasSuffix("/Sts") })
    #expect(problem.path == "/Document/BkToCstmrStmt/Stmt[1]/Ntry[2]/Sts")
    #expect(problem.message.contains("'BOOKED' is not an element of the set"))
    let line = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("BOOKED") }
    #expect(problem.line == (line ?? -1) + 1)
    // The namespace is left out of messages: the path already says where.
    #expect(!problem.message.contains("urn:iso"))
  }

  @Test func pathsHoldOnOneLongLine() throws {
    var text = replacing(
      try document(), "<AcctSvcrRef>trxn_pay</AcctSvcrRef>", with: "<Unknown/><AcctSvcrRef>trxn_pay</AcctSvcrRef>")
    text = text.replacingOccurrences(of: "\n *", with: "", options: .regularExpression)
    let found = try problems(text)
    #expect(found.map(\.path) == ["/Document/BkToCstmrStmt/Stmt[1]/Ntry[2]/Unknown"])
    #expect(found.first?.line == 1)
  }

  @Test func amountsNeedTheirCurrencysDecimals() throws {
    let text = replacing(try document(), "<Amt Ccy=\"USD\">30.00</Amt>", with: "<Amt Ccy=\"USD\">30.0</Amt>")
    let found = try problems(text)
    #expect(
      found.contains {
        $0.path == "/Document/BkToCstmrStmt/Stmt[1]/Ntry[2]/Amt"
          && $0.message == "amount '30.0' has 1 decimal; USD amounts have exactly 2"
      })
    let euros = replacing(try document(), "<Amt Ccy=\"USD\">30.00</Amt>", with: "<Amt Ccy=\"EUR\">30.00</Amt>")
    #expect(try problems(euros).contains { $0.message.contains("amount in EUR on a USD statement") })
  }

  @Test func closingMustBeOpeningPlusCreditsMinusDebits() throws {
    // CLBD is the third balance: 70.00 → 75.00.
    let text = replacing(try document(), "<Amt Ccy=\"USD\">70.00</Amt>", with: "<Amt Ccy=\"USD\">75.00</Amt>")
    let found = try problems(text)
    #expect(found.count == 1)
    #expect(found.first?.path == "/Document/BkToCstmrStmt/Stmt[1]/Bal[3]")
    #expect(
      found.first?.message == "OPBD 0.00 + credits 100.00 − debits 30.00 = 70.00, but CLBD is 75.00 (off by 5.00)")
    let noClosing = replacing(try document(), "<Cd>CLBD</Cd>", with: "<Cd>ITBD</Cd>")
    #expect(try problems(noClosing).map(\.message) == ["the statement has no CLBD (closing booked) balance"])
  }

  @Test func theSummaryMustEqualTheEntries() throws {
    let text = replacing(try document(), "<NbOfNtries>2</NbOfNtries>", with: "<NbOfNtries>3</NbOfNtries>")
    let found = try problems(text)
    #expect(found.map(\.path) == ["/Document/BkToCstmrStmt/Stmt[1]/TxsSummry/TtlNtries/NbOfNtries"])
    #expect(found.first?.message == "TxsSummry gives the number of entries as 3, but the booked entries give 2")
    let sum = replacing(try document(.v08), "<Sum>30.00</Sum>", with: "<Sum>31.00</Sum>")
    #expect(try problems(sum).map(\.path) == ["/Document/BkToCstmrStmt/Stmt[1]/TxsSummry/TtlDbtNtries/Sum"])
  }

  @Test func entriesMustBeInsideThePeriodAndUnique() throws {
    let late = replacing(try document(), "<Dt>2026-03-10</Dt>", with: "<Dt>2026-04-10</Dt>")
    #expect(
      try problems(late).map(\.message) == [
        "booking date 2026-04-10 is outside the statement period 2026-03-01 to 2026-03-31 (FrToDt)"
      ])
    let twice = replacing(
      try document(), "<AcctSvcrRef>trxn_pay</AcctSvcrRef>", with: "<AcctSvcrRef>trxn_in</AcctSvcrRef>")
    #expect(try problems(twice).map(\.path) == ["/Document/BkToCstmrStmt/Stmt[1]/Ntry[2]"])
  }

  @Test func otherDocumentsAreRefusedWithAReason() throws {
    #expect(
      try problems("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.052.001.02\"/>").first?.message.contains(
        "not a camt.053 document") == true)
    // Read past the root (the first pass stops at its start tag), with the parser's line.
    let broken = try problems(
      "<?xml version=\"1.0\"?>\n<Document xmlns=\"\(Camt053Version.v02.namespace)\">\n<a></b>\n")
    #expect(broken.contains { $0.line == 3 && $0.message.contains("Opening and ending tag mismatch") }, "\(broken)")
    #expect(try problems("").first != nil)
    let doctype = replacing(try document(), "<Document", with: "<!DOCTYPE Document>\n<Document")
    #expect(
      try problems(doctype).map(\.message) == [
        "the document has a DOCTYPE, which validate refuses unread (camt.053 documents have none, and its entities could expand without bound)"
      ])
  }

  @Test func decimalsAreExact() throws {
    #expect(CamtDecimal("12.50")?.fractionDigits == 2)
    #expect(CamtDecimal("+.5") == CamtDecimal("0.50"))
    #expect(CamtDecimal("-0003.10")?.formatted(digits: 2) == "-3.10")
    #expect(CamtDecimal("999999999999999999.99999999999999999") != nil)
    #expect(CamtDecimal("1e5") == nil && CamtDecimal("") == nil && CamtDecimal(".") == nil)
    #expect(CamtDecimal("0.1")?.adding(CamtDecimal("0.2")!) == CamtDecimal("0.3"))
  }
}
