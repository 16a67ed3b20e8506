import Foundation
import Testing

@testable import TreasuryFetch

/// `fetch` against a hostile server: one that drips, one that sends more than any page could hold, one that sends
/// the API key back wherever it can. Each attack ends in bounded time and memory with a clear error, and the key
/// shows nowhere: not on stderr, not in the manifest, the state files, the checkpoints or the dumps.
@Suite(.serialized, .enabled(if: ExternalTool.available(ExternalTool.python3), "needs python3"))
struct FetchHostileServerTests {
  private func server(_ folder: TestSupport.TemporaryFolder, _ flags: [String]) throws -> StripeTestServer {
    try StripeTestServer(data: try TestSupport.smallFetchSource(in: folder), flags, log: folder.file("server.log"))
  }

  @Test func aServerThatDripsIsTimedOutAsAWhole() throws {
    let folder = TestSupport.TemporaryFolder()
    // A byte a second: libcurl's own timeout (no byte for --timeout seconds) never fires.
    let server = try server(folder, ["--drip", "1"])
    let dumps = folder.file("dumps")
    let measured = try TestSupport.measuredFetch(
      ["--out", dumps, "--platform", "--api-base", server.base, "--timeout", "3", "--max-attempts", "2"], limit: 60)
    let run = measured.run
    #expect(run.status == 5, "\(run.stderr)")
    #expect(
      run.stderr.contains("gave up after 2 attempts (last: no complete answer within 3 s"), "\(run.stderr)")
    #expect(run.stderr.contains("run fetch again to resume"))
    // Two attempts of 3 s and one pause of at most 0.5 s (far below one dripped answer).
    #expect(measured.seconds > 0 && measured.seconds < 20, "took \(measured.seconds) s")
    #expect(TestSupport.dumpFiles(dumps).isEmpty)
    #expect(TestSupport.text(dumps + "/fetch-manifest.json").contains("\"status\" : \"failed\""))
    #expect(server.requests(atLeast: 2).count == 2)
  }

  @Test(arguments: [
    // 8 GiB declared (the server would send 256 MiB of it): refused on the headers, so the server gets no further
    // than what the sockets buffer, and nothing near the cap is held.
    (
      ["--declare-length", String(8 << 30)],
      "the answer declares 8589934592 bytes, more than the 64 MiB one answer may hold, so it was not read", 32, 64
    ),
    // Chunked with no declared length, 256 MiB unless the client stops reading: held up to the cap, then dropped.
    (["--endless"], "the answer grew past the 64 MiB one answer may hold, so it was not read", 128, 160),
  ])
  func anAnswerOverTheCapIsNotRead(serverFlags: [String], message: String, maxSentMiB: Int, maxPeakMiB: Int) throws {
    let folder = TestSupport.TemporaryFolder()
    let server = try server(folder, serverFlags)
    let dumps = folder.file("dumps")
    let measured = try TestSupport.measuredFetch([
      "--out", dumps, "--platform", "--api-base", server.base, "--max-attempts", "3",
    ])
    let run = measured.run
    #expect(run.status == 5, "\(run.stderr)")
    #expect(run.stderr.contains(message), "\(run.stderr)")
    #expect(run.stderr.contains("not retried"))
    let requests = server.requests(atLeast: 2, within: 2)
    #expect(requests.count == 1)
    let sent = requests.first?["sent"] as? Int ?? .max
    print("\(serverFlags): the server sent \(sent >> 20) MiB; peak RSS \(measured.peakKB >> 10) MiB")
    #expect(sent < maxSentMiB << 20, "the server sent \(sent) bytes")
    #expect(measured.peakKB > 0 && measured.peakKB < maxPeakMiB << 10, "peak RSS \(measured.peakKB) KB")
    #expect(TestSupport.dumpFiles(dumps).isEmpty)
  }

  @Test(arguments: [
    // The request id of every answer and the message of every error (a 500, retried once).
    (["--echo-key", "request-id,error", "--p500", "1"], ["--platform"], 5, "_[API key redacted])"),
    // The same on a 403 for an account the key cannot reach.
    (["--echo-key", "request-id,error"], ["--account", "acct_1NotMine"], 5, "HTTP 403"),
    // An error that is not JSON, the key across the first 200 bytes.
    (["--echo-key", "text-error", "--p500", "1"], ["--platform"], 5, "HTTP 500: xxxx"),
    (["--echo-key", "version"], ["--platform"], 2, "answered with Stripe-Version [API key redacted], not the pinned"),
    // Inside the objects: a description, the same JSON-escaped, a financial account's id.
    (["--echo-key", "description"], ["--platform", "--all-accounts"], 2, "the answer holds the API key"),
    (["--echo-key", "escaped"], ["--platform"], 2, "the answer holds the API key"),
    (["--echo-key", "id"], ["--platform"], 2, "the answer holds the API key"),
    (["--echo-key", "location"], ["--platform"], 5, "a redirect, which is not followed"),
  ])
  func aKeyTheServerSendsBackShowsNowhere(
    serverFlags: [String], selection: [String], status: Int32, message: String
  ) throws {
    let folder = TestSupport.TemporaryFolder()
    let server = try server(folder, serverFlags)
    let dumps = folder.file("dumps")
    let run = try TestSupport.fetch(
      ["--out", dumps, "--api-base", server.base, "--max-attempts", "2", "--progress"] + selection)
    #expect(run.status == status, "\(run.stderr)")
    #expect(run.stderr.contains(message), "\(run.stderr)")
    #expect(Self.leaks(in: run.stderr + run.stdout).isEmpty, "\(run.stderr)")
    #expect(try Self.leaks(under: dumps).isEmpty)
    // The attack was real: the server did send the key.
    #expect(!server.requests.isEmpty)
  }

  /// Pieces of the test key that must never show: every run of 12 characters, plain and JSON-escaped.
  private static let pieces: [String] = {
    let key = Array(StripeTestServer.key)
    return (0...(key.count - 12)).flatMap { i -> [String] in
      let piece = String(key[i..<i + 12])
      return [piece, piece.replacingOccurrences(of: "_", with: "\\u005f")]
    }
  }()

  private static func leaks(in text: String) -> [String] { pieces.filter { text.contains($0) } }

  /// Files under `folder` whose name or content (gzip decompressed) holds a piece of the key.
  private static func leaks(under folder: String) throws -> [String] {
    let script = """
      import gzip, os, sys
      pieces = [p.encode() for p in sys.argv[2:]]
      for base, _, names in os.walk(sys.argv[1]):
          for name in names:
              path = os.path.join(base, name)
              data = open(path, "rb").read()
              if name.endswith(".gz"):
                  data = gzip.decompress(data)
              if any(p in data or p in path.encode() for p in pieces):
                  print(path)
      """
    let run = try TestSupport.run("/usr/bin/env", ["python3", "-c", script, folder] + pieces)
    #expect(run.status == 0, "\(run.stderr)")
    return run.stdout.split(separator: "\n").map(String.init)
  }
}

/// The key's redaction finds it plain, JSON-escaped, and in pieces, and leaves everything else alone.
struct APIKeyRedactionTests {
  private let key = try! APIKey("sk_live_51Secret123abcDEF456")

  @Test func theKeyAndItsPiecesAreRedacted() {
    #expect(key.redact("a sk_live_51Secret123abcDEF456 b") == "a [API key redacted] b")
    #expect(key.redact(#"sk\u005flive\u005f51Secret123abcDEF456"#) == "[API key redacted]")
    #expect(key.redact("req_9sk_live_51Secret123abcDEF456sk_live_51Secret1x") == "req_9[API key redacted]x")
    // Half the key (14 of its 28 characters) shows it; less stays.
    #expect(key.redact("xxSecret123abcDExx") == "xx[API key redacted]xx")
    #expect(key.redact("sk_live_****F456 and Secret123abcD") == "sk_live_****F456 and Secret123abcD")
    #expect(key.redact("héllo ✓ sk_live_51Secret") == "héllo ✓ [API key redacted]")
  }

  @Test func reflectionShowsNoKey() {
    var dumped = ""
    dump(key, to: &dumped)
    for text in [dumped, String(reflecting: key), "\(key)", "\([key])"] {
      #expect(!text.contains("Secret123"), "\(text)")
    }
  }

  @Test func whatTheKeySharesWithPublicIDsIsNotAPiece() throws {
    // A key's first 26 characters name the account, as its publishable key and account id do.
    let live = try APIKey(
      "sk_live_51MZqD0LkdIwHu7ix" + "aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5oQ7sU9wY1aC3eG5iK7mO9"
        + "qS1uW3yA5cE7gI9kM1oQ3sU5wY7")
    let text = #"{"account":"acct_1MZqD0LkdIwHu7ix","key":"pk_live_51MZqD0LkdIwHu7ixZZZZ"}"#
    #expect(!live.appears(inJSON: Array(text.utf8)))
    #expect(live.redact(text) == text)
  }

  @Test func answersAreSearchedThroughTheirEscapes() {
    #expect(key.appears(inJSON: Array(#"{"d":"sk_live_51Secret123abcDEF456"}"#.utf8)))
    #expect(key.appears(inJSON: Array(#"{"d":"x 51Secret123\u0061bc"}"#.utf8)))
    #expect(!key.appears(inJSON: Array(#"{"d":"sk_live_51S\\u0065cret"}"#.utf8)))
    #expect(!key.appears(inJSON: Array(#"{"id":"txn_Secret123ab","d":"sk_live_"}"#.utf8)))
  }
}
