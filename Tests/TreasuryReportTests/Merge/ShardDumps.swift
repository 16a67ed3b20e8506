import Foundation
import Testing

@testable import TreasuryModel

/// A dump tree for sharding tests: the samples (platform financial accounts, two connected accounts, and
/// `platform/accounts.jsonl`, whose `account` objects name both), generated connected accounts in `acct_…`
/// folders, and one mixed file at the top naming several of them (files under no `acct_…` folder are the
/// platform's).
struct ShardDumps {
  let folder = TestSupport.TemporaryFolder()
  /// The dump tree.
  var dump: String { folder.file("dump") }
  /// Every connected account in it.
  let accounts: [String]

  init(accounts generated: Int = 9) throws {
    try FileManager.default.copyItem(atPath: TestSupport.samples, toPath: folder.file("dump"))
    try TestSupport.generate(
      into: folder.file("dump/gen"),
      ["--accounts", String(generated), "--months", "3", "--transactions-per-month", "6", "--seed", "16", "--messy"])
    let made = try FileManager.default.contentsOfDirectory(atPath: folder.file("dump/gen")).filter {
      $0.hasPrefix("acct_")
    }.sorted()
    #expect(made.count == generated)
    // The mixed file: names for every other generated account, and an object type the tool does not read.
    var lines: [String] = []
    for (index, account) in made.enumerated() where index % 2 == 0 {
      lines.append(#"{"id":"\#(account)","object":"account","business_profile":{"name":"Gen, \#(index) \"Ltd\""}}"#)
    }
    lines.append(#"{"id":"po_1Mixed","object":"treasury.outbound_payment","amount":100}"#)
    folder.write("dump/names.jsonl", lines.joined(separator: "\n") + "\n")
    accounts = (["acct_1NbQxRk2Lp7tYz01", "acct_1OcRySl3Mq8uZa02"] + made).sorted()
  }

  /// The folder of connected account `account` in the dump.
  func folder(of account: String) -> String {
    dump + "/" + (account.hasPrefix("acct_1Gen") ? "gen/" : "") + account
  }

  /// Appends `text` to the file at `path`.
  static func append(_ text: String, to path: String) throws {
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    defer { try? handle.close() }
    try handle.seekToEnd()
    try handle.write(contentsOf: Data(text.utf8))
  }

  /// Runs `statements` over the dump into `out` with `flags`, the N shards at the same time as separate
  /// processes when `shards` > 0 (outputs `out-K`); returns the folders written.
  func statements(_ out: String, _ flags: [String], shards: Int = 0) throws -> [String] {
    let base = ["statements", dump] + flags
    guard shards > 0 else {
      let run = try TestSupport.run("treasury-report", base + ["--out", folder.file(out)])
      #expect(run.status == 0, "\(run.stderr)")
      return [folder.file(out)]
    }
    let outs = (0..<shards).map { folder.file("\(out)-\($0)") }
    let running = try (0..<shards).map { k in
      try RunningProcess("treasury-report", base + ["--out", outs[k], "--shard", "\(k)/\(shards)"], cwd: folder.path)
    }
    for (k, process) in running.enumerated() {
      let outcome = process.wait(seconds: 300)
      #expect(outcome?.status == 0 && outcome?.signalled == false, "shard \(k)/\(shards): \(process.stderr)")
    }
    return outs
  }

  /// Runs `merge` of `shards` into `out`.
  func merge(_ shards: [String], into out: String, extra: [String] = []) throws -> TestSupport.Run {
    try TestSupport.run("treasury-report", ["merge"] + shards + ["--out", folder.file(out)] + extra)
  }

  /// `manifest.json` without its `merged_from` field (the lines from `"merged_from"` to its closing bracket).
  static func withoutMergedFrom(_ text: String) -> (manifest: String, mergedFrom: [String]) {
    var kept: [Substring] = []
    var from: [String] = []
    var inside = false
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.hasPrefix(#"  "merged_from" : ["#) {
        inside = true
      } else if inside {
        if line.hasPrefix("  ]") {
          inside = false
        } else {
          from.append(line.trimmingCharacters(in: CharacterSet(charactersIn: #" ",""#)))
        }
      } else {
        kept.append(line)
      }
    }
    return (kept.joined(separator: "\n"), from)
  }
}
