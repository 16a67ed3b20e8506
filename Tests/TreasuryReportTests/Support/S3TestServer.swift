import Foundation
import Testing
import TreasuryHTTP

#if canImport(Glibc)
  import Glibc
#endif

/// moto's S3 server of `Tests/server/s3_server.py` (signature checking on), started on 127.0.0.1 at a port the system
/// picks, with the test venv's Python.
///
/// It serves until its standard input closes: when this object is released, or when the test process ends (a
/// `shared` server lives as long as the process). `requests` reads back what the server received, and `faults`
/// injects 503 SlowDown, dropped connections or delays, for the whole server: tests that inject faults start their
/// own server.
final class S3TestServer: @unchecked Sendable {
  /// A plain bucket and an Object Lock bucket, on the server every test shares.
  static let bucket = "treasury-tests"
  static let lockedBucket = "treasury-locked"

  /// The server most storage tests share (each under its own prefix); nil when it cannot start (no test venv).
  static let shared: S3TestServer? = try? S3TestServer(buckets: [bucket, lockedBucket + ":lock"])

  /// A server of the test's own, with the plain bucket: for faults, delays and counts no other test may disturb.
  static func own() throws -> S3TestServer {
    try #require(
      FileManager.default.isExecutableFile(atPath: ExternalTool.venvPython), "needs the test venv (make test-venv)")
    return try S3TestServer(buckets: [bucket])
  }

  let process = Process()
  private let input = Pipe()
  let endpoint: String
  let region: String
  let accessKeyID: String
  let secretAccessKey: String

  /// Starts a server with the buckets `NAME` or `NAME:lock` (Object Lock enabled).
  init(buckets: [String]) throws {
    process.executableURL = URL(fileURLWithPath: ExternalTool.venvPython)
    process.arguments =
      [TestSupport.root.appendingPathComponent("Tests/server/s3_server.py").path]
      + buckets.flatMap { ["--bucket", $0] }
    let out = Pipe()
    process.standardOutput = out
    process.standardInput = input
    // S3_TEST_SERVER_LOG=FILE keeps the servers' logs (their tracebacks) when a storage test needs a look inside.
    if let log = ProcessInfo.processInfo.environment["S3_TEST_SERVER_LOG"].map({ $0 + "." + UUID().uuidString }),
      FileManager.default.createFile(atPath: log, contents: nil)
    {
      process.standardError = FileHandle(forWritingAtPath: log) ?? FileHandle.nullDevice
    } else {
      process.standardError = FileHandle.nullDevice
    }
    try process.run()
    var line: [UInt8] = []
    while true {
      let byte = out.fileHandleForReading.readData(ofLength: 1)
      guard let b = byte.first, b != UInt8(ascii: "\n") else { break }
      line.append(b)
    }
    guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: String],
      let endpoint = object["endpoint"], let region = object["region"], let key = object["access_key_id"],
      let secret = object["secret_access_key"]
    else {
      kill(process.processIdentifier, SIGKILL)
      throw ServerError.noEndpoint(String(decoding: line, as: UTF8.self))
    }
    self.endpoint = endpoint
    self.region = region
    accessKeyID = key
    secretAccessKey = secret
  }

  enum ServerError: Error { case noEndpoint(String) }

  deinit {
    try? input.fileHandleForWriting.close()
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
  }

  /// The environment that gives the tool this server's credentials (and nothing from the machine's AWS setup).
  var environment: [String: String] {
    ["AWS_ACCESS_KEY_ID": accessKeyID, "AWS_SECRET_ACCESS_KEY": secretAccessKey, "AWS_REGION": region]
  }

  /// One S3 request the server received.
  struct Request: Decodable {
    var method: String
    /// As sent: percent-encoded, with the bucket (path-style addressing).
    var path: String
    var query: String
    /// "slowdown" or "drop" when the server injected that fault instead of answering.
    var fault: String?
    /// The access key id of the signature ("" when unsigned).
    var key: String
  }

  /// Every S3 request received so far, oldest first.
  func requests() async throws -> [Request] {
    let answer = try await Self.http.exchange(
      HTTPRequest(url: endpoint + "/__requests"), deadline: 30, maxBytes: 1 << 26)
    return try JSONDecoder().decode([Request].self, from: Data(answer.body))
  }

  /// Makes every `slowdownEvery`th request answer 503 SlowDown and every `dropEvery`th lose its connection
  /// (0: never), counting from now.
  func faults(slowdownEvery: Int = 0, dropEvery: Int = 0, delay: Double = 0) async throws {
    let body = try JSONSerialization.data(withJSONObject: [
      "slowdown_every": slowdownEvery, "drop_every": dropEvery, "delay": delay,
    ])
    let answer = try await Self.http.exchange(
      HTTPRequest(method: "POST", url: endpoint + "/__faults", body: [UInt8](body)), deadline: 30, maxBytes: 1024)
    guard answer.status == 204 else { throw ServerError.noEndpoint("POST /__faults answered \(answer.status)") }
  }

  /// The project's own client, for the server's test-only endpoints.
  private static let http = BoundedHTTP(connections: 2, idleTimeout: 30)

  /// Runs a Python snippet with boto3 against this server (as an independent S3 client), `args` in `sys.argv[1:]`;
  /// `ENDPOINT`, `KEY`, `SECRET`, `s3` (a boto3 client, path-style) and `iam` are defined for it. Returns its standard
  /// output.
  func boto3(_ code: String, _ args: [String] = []) throws -> String {
    let prelude = """
      import os, sys, json, boto3
      from botocore.config import Config
      ENDPOINT, KEY, SECRET = os.environ["S3_ENDPOINT"], os.environ["S3_KEY"], os.environ["S3_SECRET"]
      s3 = boto3.client("s3", endpoint_url=ENDPOINT, region_name=os.environ["S3_REGION"], aws_access_key_id=KEY,
          aws_secret_access_key=SECRET, config=Config(s3={"addressing_style": "path"}))
      iam = boto3.client("iam", endpoint_url=ENDPOINT, region_name="us-east-1", aws_access_key_id=KEY,
          aws_secret_access_key=SECRET)

      """
    var environment = ProcessInfo.processInfo.environment
    environment["S3_ENDPOINT"] = endpoint
    environment["S3_KEY"] = accessKeyID
    environment["S3_SECRET"] = secretAccessKey
    environment["S3_REGION"] = region
    let run = try TestSupport.run(ExternalTool.venvPython, ["-c", prelude + code] + args, environment: environment)
    guard run.status == 0 else { throw ServerError.noEndpoint("boto3 snippet failed: \(run.stderr)") }
    return run.stdout
  }
}
