import Crypto
import Foundation
import Testing

/// Output folders to publish, and the `publish` and `verify` commands run through the built binary.
enum PublishSupport {
  /// A generated dump (3 accounts, January to March 2026) in `folder/dump`.
  static func dump(_ folder: TestSupport.TemporaryFolder, seed: Int = 7) throws -> String {
    let path = folder.file("dump")
    if !FileManager.default.fileExists(atPath: path) {
      try TestSupport.generate(
        into: path, ["--accounts", "3", "--months", "3", "--transactions-per-month", "20", "--seed", String(seed)])
    }
    return path
  }

  /// A finished output folder `folder/name` with archives, from `dump`.
  @discardableResult
  static func statements(_ dump: String, _ out: String, _ extra: [String] = []) throws -> String {
    let run = try TestSupport.run("treasury-report", ["statements", dump, "--out", out, "--archive"] + extra)
    #expect(run.status == 0, "statements failed: \(run.stderr)")
    return out
  }

  /// `treasury-report publish SOURCE --to URL …`.
  static func publish(
    _ source: String, to url: String, _ extra: [String] = [], environment: [String: String]? = nil
  ) throws -> TestSupport.Run {
    try TestSupport.run("treasury-report", ["publish", source, "--to", url] + extra, environment: environment)
  }

  /// `treasury-report verify URL …`.
  static func verify(_ url: String, _ extra: [String] = [], environment: [String: String]? = nil) throws
    -> TestSupport.Run
  {
    try TestSupport.run("treasury-report", ["verify", url] + extra, environment: environment)
  }

  /// The number in "N objects written" of a publish report, nil when the report has none.
  static func written(_ run: TestSupport.Run) -> Int? {
    guard let range = run.stderr.range(of: #"\d+ objects? written"#, options: .regularExpression) else { return nil }
    return Int(run.stderr[range].prefix { $0.isNumber })
  }

  /// Every file of a folder with its permissions made writable, for a test that tampers with a published copy.
  static func makeWritable(_ path: String) {
    _ = chmod(path, 0o644)
  }
}

extension PublishSupport {
  /// An output folder whose `statement.html` of one statement is `megabytes` MiB of random bytes, listed in its
  /// manifest (an HTML file's bytes are checked, not its content), so that it verifies and goes as a multipart
  /// upload; returns the folder and the big file's path inside it.
  static func folderWithBigFile(_ folder: TestSupport.TemporaryFolder, megabytes: Int) throws -> (String, String) {
    let out = folder.file("big")
    let run = try TestSupport.run(
      "treasury-report", ["statements", try dump(folder), "--out", out, "--format", "csv,html", "--period", "2026-02"])
    #expect(run.status == 0, "\(run.stderr)")
    let manifestPath = out + "/manifest.json"
    var manifest = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: manifestPath))) as? [String: Any])
    var outputs = try #require(manifest["outputs"] as? [[String: Any]])
    let index = try #require(outputs.firstIndex { ($0["path"] as? String)?.hasSuffix("/statement.html") == true })
    let relative = try #require(outputs[index]["path"] as? String)
    var generator = SystemRandomNumberGenerator()
    var bytes = [UInt8](repeating: 0, count: megabytes << 20)
    for i in stride(from: 0, to: bytes.count, by: 8) {
      withUnsafeBytes(of: generator.next() as UInt64) { word in
        for j in 0..<8 { bytes[i + j] = word[j] }
      }
    }
    try Data(bytes).write(to: URL(fileURLWithPath: out + "/" + relative))
    outputs[index]["bytes"] = bytes.count
    outputs[index]["sha256"] = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    outputs[index]["rows"] = nil
    manifest["outputs"] = outputs
    try JSONSerialization.data(withJSONObject: manifest, options: [.sortedKeys]).write(
      to: URL(fileURLWithPath: manifestPath))
    return (out, relative)
  }
}
