import Foundation
import Testing

@testable import TreasuryRun

/// The statement CSV files `run` reads back (its own output, and old versions downloaded from storage).
@Suite struct CSVTableTests {
  func message(_ text: String) -> String? {
    do {
      _ = try CSVTable(data: Data(text.utf8), name: "s3://b/2026-02/fa_1/usd/v1/transactions.csv")
      return nil
    } catch {
      return error.messages.joined()
    }
  }

  @Test func quotedCellsAndLineEndsReadBack() throws {
    let table = try CSVTable(
      data: Data("id,description\r\ntrxn_1,\"a, \"\"b\"\"\nc\"\ntrxn_2,\n".utf8), name: "t.csv")
    #expect(table.header == ["id", "description"])
    #expect(table.rows == [["trxn_1", "a, \"b\"\nc"], ["trxn_2", ""]])
    #expect(table.value(table.rows[0], "description") == "a, \"b\"\nc")
  }

  @Test func malformedOrOversizedCSVIsAnErrorNamingTheObject() {
    let stray = message("id,description\ntrxn_1,a \"quote\" inside\n")
    #expect(stray?.hasPrefix("s3://b/2026-02/fa_1/usd/v1/transactions.csv: error: record 2") == true, "\(stray ?? "")")
    let unclosed = message("id,description\ntrxn_1,\"never closed\n")
    #expect(unclosed != nil)
    // One record over the reader's bound: refused, never read as half a table.
    let huge = "id,description\ntrxn_1," + String(repeating: "x", count: (16 << 20) + 1) + "\n"
    #expect(message(huge)?.contains("longer than 16 MiB") == true)
  }
}
