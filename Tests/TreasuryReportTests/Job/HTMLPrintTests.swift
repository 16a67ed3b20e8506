import Foundation
import Testing

/// The HTML statement printed by a real browser (headless Chromium, Debian's chromium-headless-shell) on Letter
/// and A4, read back with poppler's pdfinfo and pdftotext: every page of the right size, nothing outside the
/// printable area, the totals once at the end, the table's header on every page, every line's balance there.
@Suite(.serialized) struct HTMLPrintTests {
  static let chromium = "/usr/bin/chromium-headless-shell"

  /// Prints `html` to PDF; `a4` adds `@page { size: A4 }` (a browser's own paper size otherwise: Letter here).
  private func print(_ html: String, a4: Bool, into folder: TestSupport.TemporaryFolder) throws -> String {
    var text = TestSupport.text(html)
    if a4 { text = text.replacingOccurrences(of: "<style>", with: "<style>@page { size: A4; }") }
    let page = folder.write(a4 ? "a4.html" : "letter.html", text)
    let pdf = folder.file(a4 ? "a4.pdf" : "letter.pdf")
    let run = try TestSupport.run(
      Self.chromium,
      [
        "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", "--user-data-dir=" + folder.file("profile"),
        "--print-to-pdf=" + pdf, "file://" + page,
      ])
    #expect(run.status == 0, "\(run.stderr)")
    return pdf
  }

  @Test(
    .enabled(
      if: ExternalTool.available(ExternalTool.chromium, ExternalTool.pdftotext, ExternalTool.pdfinfo),
      "needs chromium-headless-shell and poppler-utils"),
    arguments: [(false, "612 x 792 pts (letter)", 612.0), (true, "594.96 x 841.92 pts (A4)", 594.96)])
  func aLongStatementPrintsWell(a4: Bool, size: String, width: Double) throws {
    #expect(FileManager.default.isExecutableFile(atPath: Self.chromium), "install chromium-headless-shell (make deps)")
    let folder = TestSupport.TemporaryFolder()
    try TestSupport.generate(
      into: folder.file("dump"), ["--accounts", "1", "--months", "1", "--transactions-per-month", "120", "--seed", "3"])
    let out = folder.file("out")
    let run = try TestSupport.run(
      "treasury-report", ["statements", folder.file("dump"), "--out", out, "--format", "csv,html"])
    #expect(run.status == 0, "\(run.stderr)")
    let html = try #require(TestSupport.tree(out).keys.first { $0.hasSuffix("statement.html") })
    let pdf = try print(out + "/" + html, a4: a4, into: folder)

    let info = try TestSupport.run("/usr/bin/pdfinfo", [pdf]).stdout
    #expect(info.contains("Page size:       " + size), "\(info)")
    let pages = try #require(
      info.split(separator: "\n").first { $0.hasPrefix("Pages:") }.flatMap { Int($0.split(separator: " ").last ?? "") })
    #expect(pages >= 3, "a 100-line statement should take several pages, found \(pages)")

    // Nothing beyond the right margin (14 mm, about 40 pt; 30 pt allows for the page number's box).
    let boxes = try TestSupport.run("/usr/bin/pdftotext", ["-bbox", pdf, "-"]).stdout
    let rights = boxes.matches(of: /xMax="([0-9.]+)"/).compactMap { Double($0.output.1) }
    #expect(!rights.isEmpty && (rights.max() ?? width) <= width - 30, "text reaches x = \(rights.max() ?? 0)")

    let text = try TestSupport.run("/usr/bin/pdftotext", ["-layout", pdf, "-"]).stdout
    let pageTexts = text.split(separator: "\u{0C}").filter {
      !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    }
    #expect(pageTexts.count == pages)
    #expect(text.components(separatedBy: "Totals (").count == 2, "the totals row must print once")
    let transactionPages = pageTexts.filter { $0.contains("trxn_") }
    #expect(transactionPages.allSatisfy { $0.contains("BALANCE") }, "the table header repeats on every page")
    #expect(pageTexts.last?.contains("Page \(pages) of \(pages)") == true)
    // Every booked line's running balance is on paper.
    let lines = TestSupport.records(
      out + "/" + html.replacingOccurrences(of: "statement.html", with: "transactions.csv"))
    let flat = text.replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "\u{2212}", with: "-")
    for line in lines {
      #expect(flat.contains(line["running_booked_balance"] ?? "?"), "\(line["id"] ?? "")")
    }
  }
}
