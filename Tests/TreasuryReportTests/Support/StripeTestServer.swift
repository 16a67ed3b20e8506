import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The Stripe-like server of `Tests/server/stripe_server.py`, started on 127.0.0.1 at a port the system picks.
///
/// A real HTTP server in another process: the fetcher's real client talks to
/// it over real sockets, with real pagination, authentication and faults.
final class StripeTestServer {
  static let key = "sk_test_51FetchTests0nlyKeyQ9x"
  let process = Process()
  let port: Int
  let log: String

  var base: String { "http://127.0.0.1:\(port)" }

  /// Starts the server on `data` (a treasury-gen folder) with extra flags (faults, --as-of, …).
  init(data: String, _ flags: [String] = [], log: String) throws {
    self.log = log
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments =
      [
        "python3", TestSupport.root.appendingPathComponent("Tests/server/stripe_server.py").path, "--data", data,
        "--key", Self.key, "--log", log,
      ] + flags
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    // The first line is the port.
    var line: [UInt8] = []
    while true {
      let byte = out.fileHandleForReading.readData(ofLength: 1)
      guard let b = byte.first else { break }
      if b == UInt8(ascii: "\n") { break }
      line.append(b)
    }
    guard let port = Int(String(decoding: line, as: UTF8.self)) else {
      kill(process.processIdentifier, SIGKILL)
      throw ServerError.noPort
    }
    self.port = port
  }

  enum ServerError: Error { case noPort }

  deinit {
    // SIGKILL: the test runner's blocked signals are inherited, so SIGTERM would never arrive.
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
  }

  /// The requests once at least `count` are logged (a handler logs when it ends, which can be after the client left).
  func requests(atLeast count: Int, within seconds: Double = 10) -> [[String: Any]] {
    let end = Date().addingTimeInterval(seconds)
    while requests.count < count && Date() < end { Thread.sleep(forTimeInterval: 0.05) }
    return requests
  }

  /// The requests once the log has stopped growing for `quiet` seconds: after a client was killed, the handlers of
  /// its last requests may still be logging (at most `within` seconds of waiting).
  func settledRequests(quiet: Double = 0.5, within seconds: Double = 10) -> [[String: Any]] {
    let end = Date().addingTimeInterval(seconds)
    var seen = requests.count
    var stableSince = Date()
    while Date() < end {
      Thread.sleep(forTimeInterval: 0.05)
      let now = requests.count
      if now != seen {
        seen = now
        stableSince = Date()
      } else if Date().timeIntervalSince(stableSince) >= quiet {
        break
      }
    }
    return requests
  }

  /// One JSON object per request the server answered (path, query, account, version, fault, status).
  var requests: [[String: Any]] {
    TestSupport.text(log).split(separator: "\n").compactMap {
      try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
    }
  }
}

extension TestSupport {
  /// Runs `treasury-report fetch` with the test key in the environment.
  static func fetch(
    _ arguments: [String], key: String? = StripeTestServer.key, environment extra: [String: String] = [:]
  ) throws -> Run {
    try run("treasury-report", ["fetch"] + arguments, environment: fetchEnvironment(key: key, extra))
  }

  /// A fetch that would hang or grow is attacked under `/usr/bin/time` and a kill after `limit` seconds.
  struct MeasuredRun {
    var run: Run
    /// Peak resident memory, from `/usr/bin/time -f %M`.
    var peakKB: Int
    var seconds: Double
  }

  /// Runs `treasury-report fetch` like `fetch`, measured, and killed (status 137) if it takes over `limit` seconds.
  static func measuredFetch(_ arguments: [String], limit: Int = 90) throws -> MeasuredRun {
    let binary = binaries.appendingPathComponent("treasury-report").path
    var result = try run(
      "/usr/bin/time", ["-f", "%M %e", "/usr/bin/timeout", "-s", "KILL", String(limit), binary, "fetch"] + arguments,
      environment: fetchEnvironment(key: StripeTestServer.key, [:]))
    var lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    while lines.last == "" { lines.removeLast() }
    let parts = (lines.popLast() ?? "").split(separator: " ")
    if lines.last?.hasPrefix("Command ") == true { lines.removeLast() }
    result.stderr = lines.map { $0 + "\n" }.joined()
    return MeasuredRun(
      run: result, peakKB: parts.first.flatMap { Int($0) } ?? -1, seconds: parts.last.flatMap { Double($0) } ?? -1)
  }

  private static func fetchEnvironment(key: String?, _ extra: [String: String]) -> [String: String] {
    var environment = ProcessInfo.processInfo.environment
    environment.removeValue(forKey: "STRIPE_API_KEY")
    if let key { environment["STRIPE_API_KEY"] = key }
    for (k, v) in extra { environment[k] = v }
    return environment
  }

  /// The dump files under `folder` (each account's three .jsonl.gz), relative path → bytes.
  static func dumpFiles(_ folder: String) -> [String: Data] {
    tree(folder).filter { $0.key.hasSuffix(".jsonl.gz") && !$0.key.hasPrefix(".") }
  }

  /// The small dump most fetch tests serve: the platform and two connected accounts, one month of 20 transactions.
  static func smallFetchSource(in folder: TemporaryFolder) throws -> String {
    let data = folder.file("source")
    try generateWithPlatform(
      into: data, ["--accounts", "3", "--months", "1", "--transactions-per-month", "20", "--seed", "4"])
    return data
  }

  /// Generates a dump with one connected account renamed `platform`, as the server's and the tool's layouts expect.
  static func generateWithPlatform(into folder: String, _ arguments: [String]) throws {
    try generate(into: folder, arguments)
    try FileManager.default.moveItem(atPath: folder + "/acct_1Gen00000000", toPath: folder + "/platform")
  }
}
