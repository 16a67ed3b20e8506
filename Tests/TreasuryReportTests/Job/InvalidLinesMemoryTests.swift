import Foundation
import Testing

@testable import TreasuryInput
@testable import TreasuryJob
@_spi(Inlining) @testable import TreasuryModel

/// Millions of invalid lines must not be held in memory: without `--skip-invalid` only the first 100 (the ones
/// shown) and a count are kept; with it every line is streamed to rejects.jsonl through a spill file, in input
/// order whatever `--jobs`, and each record keeps at most 64 KiB of its line.
@Suite struct InvalidLinesMemoryTests {
  /// Lines of about 330 bytes that lack every required field.
  static func junk(_ count: Int) -> String {
    let pad = String(repeating: "x", count: 300)
    return (0..<count).map { #"{"pad":"\#(pad)","n":\#($0)}"# }.joined(separator: "\n") + "\n"
  }

  /// Peak resident memory in MiB of one run of the tool (GNU time's %M), with its exit status and stderr.
  static func peak(_ arguments: [String], cwd: String) throws -> (mib: Int, run: TestSupport.Run) {
    let binary = TestSupport.binaries.appendingPathComponent("treasury-report").path
    let run = try TestSupport.run("/usr/bin/time", ["-f", "peak %M"] + [binary] + arguments, cwd: cwd)
    let last = run.stderr.split(separator: "\n").last { $0.hasPrefix("peak ") } ?? ""
    return ((Int(last.dropFirst(5)) ?? .max) / 1024, run)
  }

  /// Before: 200,000 rejects took 172 MiB, 292 MiB with --skip-invalid (each kept with its text, then copied
  /// for sorting); now the peak stays near an empty run's (38 MiB), whatever the count.
  @Test(.enabled(if: ExternalTool.available(ExternalTool.time), "needs /usr/bin/time"))
  func memoryStaysFlatWithManyInvalidLines() throws {
    let folder = TestSupport.TemporaryFolder()
    folder.write("acct_1Junk/junk.jsonl", Self.junk(100_000))
    let stop = try Self.peak(["statements", "acct_1Junk", "--out", "out", "--jobs", "2"], cwd: folder.path)
    #expect(stop.run.status == 2, "\(stop.run.stderr.suffix(500))")
    #expect(stop.mib < 80, "peak \(stop.mib) MiB without --skip-invalid")
    let lines = stop.run.stderr.split(separator: "\n")
    #expect(lines.filter { $0.hasPrefix("acct_1Junk/junk.jsonl:") }.count == 100)
    #expect(lines.contains("… and 99900 more"))
    #expect(lines.contains { $0.hasPrefix("error: 100000 input lines are invalid; nothing was written") })
    #expect(!FileManager.default.fileExists(atPath: folder.file("out")))

    let skip = try Self.peak(
      [
        "statements", "acct_1Junk", "--out", "out", "--jobs", "2", "--skip-invalid", "--allow-empty",
        "--partition-threshold-mib", "0",
      ],
      cwd: folder.path)
    #expect(skip.run.status == 0, "\(skip.run.stderr.suffix(500))")
    #expect(skip.mib < 80, "peak \(skip.mib) MiB with --skip-invalid")
    let rejects = TestSupport.text(folder.file("out/rejects.jsonl")).split(separator: "\n")
    #expect(rejects.count == 100_000)
    #expect(rejects.last?.hasPrefix(#"{"file":"acct_1Junk/junk.jsonl","line":100000,"#) == true)
    #expect(!FileManager.default.fileExists(atPath: folder.file("out/.rejects")))
  }

  /// rejects.jsonl is the same bytes whatever the number of workers and however the big file is split in ranges:
  /// by file, then line, then the order of a line's problems.
  @Test func rejectsKeepInputOrderAcrossWorkers() throws {
    let folder = TestSupport.TemporaryFolder()
    var lines = Lines.receivedCredits(4000)
    for i in stride(from: 7, to: 4000, by: 13) { lines[i] = "{\"broken\": \(i)" }
    // A list page with two bad items, each set aside alone: both kept, in the order of the page.
    lines[3] = #"{"object":"list","data":[{"id":"b"},"# + lines[3] + #",{"id":"a"}]}"#
    folder.write("dumps/acct_1A/big.jsonl", lines.joined(separator: "\n") + "\n")
    folder.write("dumps/acct_1A/small.jsonl", "nope\n" + Lines.transaction("trxn_s", amount: 1) + "\n[1]\n")
    folder.write("dumps/acct_1B/other.json", "[{\"id\": 1}, 7]")
    var outputs: [Data] = []
    for (threshold, jobs) in [("64", "1"), ("0", "1"), ("0", "3"), ("64", "3")] {
      let out = "out-\(threshold)-\(jobs)"
      let run = try TestSupport.run(
        "treasury-report",
        [
          "statements", "dumps", "--out", out, "--skip-invalid", "--partition-threshold-mib", threshold, "--jobs", jobs,
        ],
        cwd: folder.path)
      #expect(run.status == 3 || run.status == 0, "\(run.stderr)")
      outputs.append(FileManager.default.contents(atPath: folder.file(out + "/rejects.jsonl")) ?? Data())
    }
    #expect(Set(outputs).count == 1, "rejects.jsonl depends on the workers")
    let records = String(decoding: outputs[0], as: UTF8.self).split(separator: "\n").map { line in
      (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]) ?? [:]
    }
    let places = records.map { "\($0["file"] as? String ?? "?"):\($0["line"] as? Int ?? 0)" }
    let expected =
      ["dumps/acct_1A/big.jsonl:4", "dumps/acct_1A/big.jsonl:4"]
      + stride(from: 7, to: 4000, by: 13).map { "dumps/acct_1A/big.jsonl:\($0 + 1)" }
      + [
        "dumps/acct_1A/small.jsonl:1", "dumps/acct_1A/small.jsonl:3", "dumps/acct_1B/other.json:1",
        "dumps/acct_1B/other.json:1",
      ]
    #expect(places == expected)
  }

  /// Before: a 100 KiB line was kept whole in its reject record (and in memory until the end).
  @Test func aLongLineIsCutInItsRecordAndSaysSo() throws {
    let folder = TestSupport.TemporaryFolder()
    // "é" is two bytes: the cut at 65,536 bytes falls inside one, and must not split it.
    let long = #"{"pad":"x"# + String(repeating: "é", count: 51_200) + #""}"#
    folder.write("acct_1A/a.jsonl", long + "\n")
    let run = try TestSupport.run(
      "treasury-report", ["statements", "acct_1A", "--out", "out", "--skip-invalid", "--allow-empty"], cwd: folder.path)
    #expect(run.status == 0, "\(run.stderr)")
    let text = TestSupport.text(folder.file("out/rejects.jsonl"))
    let record = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    let raw = try #require(record["raw"] as? String)
    #expect(raw.utf8.count == InvalidLine.rawLimit - 1)
    #expect(long.hasPrefix(raw))
    #expect(record["raw_bytes"] as? Int == long.utf8.count)
  }

  /// Before: a value quoted in a reason was shown whole (a 10 KB status made a 10 KB message).
  @Test func aLongValueIsCutInItsMessage() throws {
    let folder = TestSupport.TemporaryFolder()
    let status = String(repeating: "s", count: 10_000)
    let line = Lines.transaction("trxn_1", amount: 1).replacingOccurrences(
      of: #""status":"posted""#, with: #""status":"\#(status)""#)
    folder.write("acct_1A/a.jsonl", line + "\n")
    let run = try TestSupport.run("treasury-report", ["statements", "acct_1A", "--out", "out"], cwd: folder.path)
    #expect(run.status == 2)
    #expect(
      run.stderr.hasPrefix(
        "acct_1A/a.jsonl:1: error: 'status' must be open, posted or void, found '\(status.prefix(100))…'\n"),
      "\(run.stderr.prefix(300))")
  }

  /// The records are what JSONEncoder would write (they are written by hand for speed).
  @Test func recordsMatchJSONEncoder() throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let all = String(decoding: (0..<128).map { UInt8($0) }, as: UTF8.self) + "é\u{2028}\u{FEFF}😀/"
    for line in [
      InvalidLine(file: "a/b\"c.jsonl", line: 7, reason: all, raw: all),
      InvalidLine(file: "x", line: 1, reason: "r", raw: "{", rawBytes: 70_000),
    ] {
      var out: [UInt8] = []
      RejectsJSONL.append(line, to: &out)
      #expect(out == Array(try encoder.encode(line)) + [0x0A])
    }
  }
}
