import Foundation
import Testing

@testable import TreasuryJob
@_spi(Inlining) @testable import TreasuryModel

/// Control sequences planted in a dump (ids, values) or in file names must reach the terminal escaped, never raw.
@Suite struct TerminalEscapeAttackTests {
  /// OSC 52 asks the terminal to put "evil" on the clipboard; ESC [ 2 J clears the screen.
  static let osc52 = "\u{1B}]52;c;ZXZpbA==\u{07}"
  static let clear = "\u{1B}[2J"

  /// The bytes a terminal acts on: C0 controls other than the newline ending each line, DEL, and C1 controls
  /// (U+0080…U+009F, two bytes in UTF-8).
  static func controlBytes(_ text: String) -> [String] {
    var found: [String] = []
    for scalar in text.unicodeScalars
    where scalar != "\n" && (scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)) {
      found.append(String(format: "U+%04X", scalar.value))
    }
    return found
  }

  @Test func escapesEveryControlCharacterAndKeepsTheRest() {
    #expect(TerminalText.escape(Self.osc52) == #"\u001B]52;c;ZXZpbA==\u0007"#)
    #expect(TerminalText.escape("a\u{0}b\u{7F}c\u{9B}31m\u{85}") == #"a\u0000b\u007Fc\u009B31m\u0085"#)
    #expect(TerminalText.escape("tab\tcr\rnl\n") == #"tab\tcr\rnl\n"#)
    #expect(TerminalText.escape("rtl\u{202E}txt.exe\u{2028}") == #"rtl\u202Etxt.exe\u2028"#)
    let plain = #"dumps/acct_1Ab/été 日本 C:\path "quoted" {"id": "x\u001b"}"#
    #expect(TerminalText.escape(plain) == plain)
    #expect(TerminalText.lines(["one\u{1B}", "two"]) == "one\\u001B\ntwo\n")
  }

  /// A file name, an id, a status and a currency carrying ESC, BEL, NUL, DEL, C1 and OSC 52: every message is
  /// printed, every one escaped.
  @Test func statementsNeverEchoControlCharactersFromTheDump() throws {
    let folder = TestSupport.TemporaryFolder()
    // JSON escapes decode to the raw control characters in ids and values.
    let evil = #"\u001b]52;c;ZXZpbA==\u0007\u0000\u007f\u009b"#
    let badStatus = Lines.transaction("trxn_s", amount: 1, flowType: "received_credit")
      .replacingOccurrences(of: #""status":"posted""#, with: #""status":"\#(evil)""#)
    let badCurrency = Lines.transaction("trxn_c", amount: 1, flowType: "received_credit")
      .replacingOccurrences(of: #""currency":"usd""#, with: #""currency":"\u001b[2J""#)
    let name = "acct_1Esc/dump\(Self.osc52)\(Self.clear).jsonl"
    folder.write(name, [badStatus, badCurrency].joined(separator: "\n"))
    let run = try TestSupport.run("treasury-report", ["statements", "acct_1Esc", "--out", "out"], cwd: folder.path)
    #expect(run.status == 2)
    #expect(Self.controlBytes(run.stderr) == [], "\(run.stderr.debugDescription)")
    let shownName = #"acct_1Esc/dump\u001B]52;c;ZXZpbA==\u0007\u001B[2J.jsonl"#
    #expect(
      run.stderr.contains(
        #"\#(shownName):1: error: 'status' must be open, posted or void, found '\u001B]52;c;ZXZpbA==\u0007\u0000\u007F\u009B'"#
      ), "\(run.stderr)")
    #expect(run.stderr.contains(#"\#(shownName):2: error: 'currency' must be a three-letter"#), "\(run.stderr)")
    #expect(run.stderr.contains(#"found '\u001B[2J'"#), "\(run.stderr)")
  }

  /// An id with control characters is refused at the input, and the message that names it escapes them.
  @Test func messagesEscapeTheId() throws {
    let folder = TestSupport.TemporaryFolder()
    let id = #"trxn_\u001b]0;pwned\u0007"#
    let posted = Lines.transaction(id, amount: 5, flowType: "received_credit")
    let void = Lines.transaction(id, amount: 5, status: "void", flowType: "received_credit")
    folder.write("acct_1Esc/dump.jsonl", [posted, void].joined(separator: "\n"))
    let run = try TestSupport.run("treasury-report", ["statements", "acct_1Esc", "--out", "out"], cwd: folder.path)
    #expect(run.status == 2)
    #expect(Self.controlBytes(run.stderr) == [], "\(run.stderr.debugDescription)")
    #expect(
      run.stderr.contains(
        #"error: 'id' must be a Stripe id (at most 255 letters, digits and '_'), found 'trxn_\u001B]0;pwned\u0007'"#),
      "\(run.stderr)")
  }

  /// `verify` and `validate` print paths they were given or found: escaped as well.
  @Test(arguments: ["verify", "validate"])
  func otherCommandsEscapePaths(command: String) throws {
    let folder = TestSupport.TemporaryFolder()
    let run = try TestSupport.run("treasury-report", [command, "missing\(Self.osc52).xml"], cwd: folder.path)
    #expect(run.status != 0)
    #expect(Self.controlBytes(run.stderr + run.stdout) == [], "\((run.stderr + run.stdout).debugDescription)")
    #expect((run.stderr + run.stdout).contains(#"missing\u001B]52;c;ZXZpbA==\u0007.xml"#), "\(run.stderr)")
  }
}
