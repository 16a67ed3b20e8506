import Foundation
import Testing

/// `fetch` against a hostile server: one that drips, one that sends more than any page could hold. Each attack ends
/// in bounded time and memory with a clear error.
@Suite(.serialized) struct FetchHostileServerTests {
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
}
