import Foundation
import Testing

/// `--help` of every command: real line breaks, examples, value names, each default once; counts in the report
/// read as English.
@Suite struct HelpTextTests {
  static let commands: [[String]] = [[], ["statements"], ["fetch"], ["validate"], ["verify"]]

  /// The option blocks of a help text: each `  --flag …` line with the lines that continue it.
  static func optionBlocks(_ help: String) -> [String] {
    var blocks: [String] = []
    for line in help.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.hasPrefix("  -") {
        blocks.append(String(line))
      } else if line.hasPrefix("     "), !blocks.isEmpty {
        blocks[blocks.count - 1] += " " + line.trimmingCharacters(in: .whitespaces)
      }
    }
    return blocks
  }

  @Test(arguments: commands)
  func helpHasLineBreaksAndEachDefaultOnce(command: [String]) throws {
    let run = try TestSupport.run("treasury-report", command + ["--help"])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(!run.stdout.contains(#"\n"#), "\(run.stdout)")
    #expect(run.stdout.split(separator: "\n").count > 8, "\(run.stdout)")
    #expect(run.stdout.hasPrefix("OVERVIEW: "))
    for block in Self.optionBlocks(run.stdout) {
      // `(default: …)` from argument-parser, or `default: …` / `; default …` in the text: one of them at most.
      let mentions = ["default:", "; default "].map { block.components(separatedBy: $0).count - 1 }.reduce(0, +)
      #expect(mentions <= 1, "\(block)")
    }
  }

  @Test(arguments: [
    (
      ["statements"],
      [
        "Examples:\n", "<input> ...", "--out <dir>", "--tz <zone>", "--period <period>", "--from <date>", "--to <date>",
        "--templates <dir>", "--report-json <file>", "--only <id>", "--account <acct_…>", "--jobs <n>", "--replace",
        "--allow-empty", "csv/NAME.json inside it", "--shard <K/N>",
      ]
    ),
    (["merge"], ["Examples:\n", "<shard> ...", "--out <dir>", "--replace"]),
    (
      ["fetch"],
      [
        "Examples:\n", "one of --platform, --account or --all-accounts is required", "--out <dumps>",
        "--since <date>", "--api-key-file <file>", "--stripe-version <version>", "--timeout <seconds>",
      ]
    ),
    (["validate"], ["Examples:\n", "<file-or-dir> ..."]),
    ([], ["--generate-completion-script"]),
  ])
  func helpShowsExamplesAndValueNames(command: [String], expected: [String]) throws {
    let run = try TestSupport.run("treasury-report", command + ["--help"])
    let help = run.stdout.replacingOccurrences(of: "\n                          ", with: " ")
    for text in expected { #expect(help.contains(text), "\(text) in \(run.stdout)") }
  }

  @Test(arguments: ["bash", "zsh", "fish"])
  func completionScriptsArePrintedAsScripts(shell: String) throws {
    let run = try TestSupport.run("treasury-report", ["--generate-completion-script", shell])
    #expect(run.status == 0)
    #expect(run.stdout.split(separator: "\n").count > 20, "\(run.stdout.prefix(300))")
    #expect(run.stdout.contains("statements") && run.stdout.contains("only"))
  }

  /// A usage error quoting a value with an escape sequence shows it escaped, and its lines stay lines.
  @Test func aUsageErrorKeepsItsLinesAndEscapesWhatItQuotes() throws {
    let run = try TestSupport.run("treasury-report", ["statements", "x", "--out", "o", "--interval", "\u{1B}]52;c"])
    #expect(run.status == 1)
    #expect(run.stderr.contains("\\u001B]52;c"), "\(run.stderr)")
    #expect(!run.stderr.contains("\u{1B}"))
    #expect(run.stderr.split(separator: "\n").count >= 2, "\(run.stderr)")
    #expect(!run.stderr.contains(#"\n"#), "\(run.stderr)")
  }

  /// One of each: singular nouns for one.
  @Test func countsOfOneAreSingular() throws {
    let folder = TestSupport.TemporaryFolder()
    let page =
      #"{"object":"list","data":["# + Lines.transaction("trxn_1", amount: 500, flowType: "received_credit") + ","
      + Lines.entry("trxne_1", transaction: "trxn_1", at: 1_767_225_600, cash: 500) + ","
      + Lines.financialAccount(cash: [("usd", 500)]) + "]}"
    folder.write("acct_1One/dump.jsonl", page + "\n{broken\n")
    let run = try TestSupport.run(
      "treasury-report", ["statements", "acct_1One", "--out", "out", "--skip-invalid"], cwd: folder.path)
    #expect(run.status == 0, "\(run.stderr)")
    #expect(
      run.stderr.contains(
        "): 3 objects: 1 transaction, 1 entry, 1 financial account, 0 accounts\n"), "\(run.stderr)")
    #expect(run.stderr.contains("read 1 file ("), "\(run.stderr)")
    #expect(run.stderr.contains(", 2 lines)"), "\(run.stderr)")
    #expect(run.stderr.contains("set aside 1 invalid line in rejects.jsonl"), "\(run.stderr)")
    #expect(run.stderr.contains("wrote 1 statement (2026-01) to out"), "\(run.stderr)")
    #expect(!run.stderr.contains("(s)"), "\(run.stderr)")
  }
}
