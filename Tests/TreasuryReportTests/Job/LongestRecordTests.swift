import Foundation
import Testing

@_spi(Inlining) @testable import TreasuryModel
@testable import TreasuryRender

/// Every record the tool can write is one `verify` reads: text fields at their 64 KiB limit, each byte a DEL that
/// becomes a 3-byte U+FFFD, in accounts.csv (six of them) and in a CSV profile of 64 description columns.
@Suite struct LongestRecordTests {
  @Test func theLongestRecordsTheToolWritesVerify() throws {
    let del = String(repeating: #"\u007f"#, count: 65_536)
    let mar5 = 1_772_668_800
    let fa =
      #"{"id":"fa_1","object":"treasury.financial_account","livemode":false,"status":"\#(del)","balance":{"cash":{"usd":500},"inbound_pending":{"usd":0},"outbound_pending":{"usd":0}},"financial_addresses":[{"type":"aba","aba":{"account_holder_name":"\#(del)","bank_name":"\#(del)","routing_number":"\#(del)","account_number_last4":"\#(del)"}}],"supported_currencies":["usd"]}"#
    let account = #"{"id":"acct_1Test","object":"account","business_profile":{"name":"\#(del)"}}"#
    let lines = [
      fa, account,
      Lines.transaction(
        "trxn_1", amount: 500, created: mar5, posted: mar5, description: del, flowType: "received_credit"),
      Lines.entry("trxne_1", transaction: "trxn_1", at: mar5, cash: 500),
    ]
    let folder = TestSupport.TemporaryFolder()
    folder.write("acct_1Test/dump.jsonl", lines.joined(separator: "\n"))
    let columns = (0..<CSVProfile.columnLimit).map { _ in #"{"header":"d","value":"description"}"# }
    folder.write("templates/csv/wide.json", #"{"columns":[\#(columns.joined(separator: ","))]}"#)
    let out = folder.file("out")
    let run = try TestSupport.run(
      "treasury-report",
      ["statements", "acct_1Test", "--out", out, "--format", "csv,csv:wide", "--templates", "templates"],
      cwd: folder.path)
    #expect(run.status == 0, "\(run.stderr)")
    let wide = try #require(FileManager.default.contents(atPath: out + "/2026-03/fa_1/transactions.wide.csv"))
    #expect(wide.count > 12 << 20)
    let verify = try TestSupport.run("treasury-report", ["verify", out])
    #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
  }

  @Test func aProfileWiderThanTheLimitIsRefused() throws {
    let columns = (0...CSVProfile.columnLimit).map { _ in #"{"value":"description"}"# }
    #expect(throws: TemplateError.self) {
      _ = try CSVProfile.parse(
        Array(#"{"columns":[\#(columns.joined(separator: ","))]}"#.utf8), name: "wide", file: "wide.json")
    }
  }
}
