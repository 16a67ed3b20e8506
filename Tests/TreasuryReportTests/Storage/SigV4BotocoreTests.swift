import Foundation
import Testing

@testable import TreasuryJob
@_spi(Inlining) @testable import TreasuryModel
@testable import TreasuryStorage

/// The signer against an independent one: botocore's `S3SigV4Auth` (Tests/reference/sigv4_botocore.py) on 300
/// seeded random S3 requests with hostile keys, queries, headers, bodies and credentials.
struct SigV4BotocoreTests {
  static let script = TestSupport.root.appendingPathComponent("Tests/reference/sigv4_botocore.py").path
  static let count = 300

  @Test(.enabled(if: ExternalTool.available(ExternalTool.venvPython), "needs the test venv (make test-venv)"))
  func agreesWithBotocoreOnRandomRequests() throws {
    // Fails rather than skips: `make test` installs botocore, so a missing one is a broken setup, not a choice.
    try #require(
      FileManager.default.isExecutableFile(atPath: ExportSupport.python),
      "\(ExportSupport.python) is missing: run `make test-venv` (it installs botocore from PyPI)")
    var random = SplitMix64(seed: 0x5349_4756_3400_0014)
    let cases = (0..<Self.count).map { _ in RandomS3Request(&random) }
    let input = try JSONEncoder().encode(cases)

    let run = try TestSupport.run(ExportSupport.python, [Self.script], stdin: input)
    try #require(run.status == 0, "sigv4_botocore.py failed:\n\(run.stderr)")
    let answers = try JSONDecoder().decode([BotocoreAnswer].self, from: Data(run.stdout.utf8))
    try #require(answers.count == cases.count)

    var agreed = 0
    for (request, answer) in zip(cases, answers) {
      let signed = request.signer.sign(request.toSign, at: Date(timeIntervalSince1970: request.time))
      let added = Dictionary(
        uniqueKeysWithValues: signed.headers.filter { $0.name != "Authorization" }.map {
          ($0.name.lowercased(), $0.value)
        })
      #expect(signed.canonicalRequest == answer.canonicalRequest, "\(request.method) \(request.host) \(request.path)")
      #expect(signed.authorization == answer.authorization)
      #expect(added == answer.headers)
      if signed.authorization == answer.authorization && added == answer.headers { agreed += 1 }
    }
    #expect(agreed == Self.count)

    // The generator must reach what the test claims to cover, or agreement proves little.
    let keys = cases.map(\.path).joined()
    let queries = cases.flatMap(\.query).map { $0[0] + "=" + $0[1] }.joined()
    for piece in [" ", "+", "%", "~", "=", "&", "//", "é", "日本", "😀", "/../", "/./"] {
      #expect(keys.contains(piece), "no key holds \(piece)")
    }
    for piece in [" ", "+", "=", "&", "é", "😀", "/"] { #expect(queries.contains(piece), "no query holds \(piece)") }
    #expect(cases.contains { $0.query.contains { $0[1].isEmpty } })
    #expect(cases.contains { Set($0.query.map { $0[0] }).count < $0.query.count }, "no repeated query name")
    #expect(
      cases.contains { Set($0.headers.map { $0[0].lowercased() }).count < $0.headers.count }, "no repeated header")
    #expect(cases.filter { $0.token != nil }.count > Self.count / 4)
    #expect(cases.filter(\.unsignedPayload).count > Self.count / 4)
    #expect(cases.filter { $0.body.isEmpty }.count > Self.count / 4)
    #expect(cases.filter { !$0.body.isEmpty }.count > Self.count / 4)
    #expect(Set(cases.map(\.region)).count >= 5)
    #expect(cases.contains { $0.host.hasPrefix("bucket-") } && cases.contains { $0.host.contains(":") })
  }
}

/// What botocore answered for one request.
private struct BotocoreAnswer: Decodable {
  var authorization: String
  var canonicalRequest: String
  var headers: [String: String]
}

/// SplitMix64: a seeded generator, so a failure is reproducible.
private struct SplitMix64: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// One random S3 request, in the shape sigv4_botocore.py reads.
private struct RandomS3Request: Encodable {
  var method: String
  var scheme: String
  var host: String
  var path: String
  var query: [[String]]
  var headers: [[String]]
  var body: String  // base64
  var unsignedPayload: Bool
  var accessKey: String
  var secret: String
  var token: String?
  var region: String
  var time: Double

  /// Pieces of keys and query text: everything that needs encoding, and what normalisation would change.
  static let pieces = [
    "a", "Z", "0", "report", "2026-03", "-", "_", ".", "~", " ", "  ", "+", "%", "%20", "=", "&", "/", "//", "/./",
    "/../", "..", "é", "日本", "😀", "?", "#", ":", "@", "!", "*", "'", "(", ")", ",", ";", "$", "[", "]", "\\", "^",
    "`", "{", "}", "|", "<", ">", "\"", "\t",
  ]
  static let regions = [
    "us-east-1", "eu-west-1", "eu-central-2", "ap-northeast-1", "us-gov-west-1", "cn-north-1", "auto",
  ]
  static let queryNames = [
    "list-type", "prefix", "delimiter", "continuation-token", "uploads", "uploadId", "partNumber", "versionId",
    "max-keys", "x-id", "retention", "legal-hold",
  ]
  static let headerNames = [
    "Content-Type", "content-length", "If-None-Match", "x-amz-checksum-sha256", "X-Amz-Object-Lock-Mode",
    "x-amz-object-lock-retain-until-date", "x-amz-server-side-encryption", "X-Amz-Meta-Period", "x-amz-meta-period",
    "Range", "Cache-Control", "x-amz-server-side-encryption-aws-kms-key-id",
  ]

  init(_ random: inout SplitMix64) {
    func text(_ count: ClosedRange<Int>) -> String {
      (0..<Int.random(in: count, using: &random)).map { _ in Self.pieces.randomElement(using: &random)! }.joined()
    }
    func characters(_ alphabet: String, _ count: Int) -> String {
      String((0..<count).map { _ in alphabet.randomElement(using: &random)! })
    }
    let base64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    method = ["GET", "PUT", "HEAD", "POST", "DELETE"].randomElement(using: &random)!
    region = Self.regions.randomElement(using: &random)!
    let key = text(0...8)
    switch Int.random(in: 0..<3, using: &random) {
    case 0:  // virtual-hosted style on AWS
      scheme = "https"
      host = "bucket-\(Int.random(in: 1...99, using: &random)).s3.\(region).amazonaws.com"
      path = "/" + key
    case 1:  // path style on AWS
      scheme = "https"
      host = "s3.\(region).amazonaws.com"
      path = "/statements" + (key.isEmpty ? "" : "/" + key)
    default:  // path style on a local S3-compatible server
      scheme = "http"
      host = ["127.0.0.1:9000", "localhost:4566", "minio.internal:9000"].randomElement(using: &random)!
      path = "/statements/" + key
    }
    query = (0..<Int.random(in: 0...4, using: &random)).map { _ in
      let name = Bool.random(using: &random) ? Self.queryNames.randomElement(using: &random)! : text(1...3)
      return [name, Int.random(in: 0..<4, using: &random) == 0 ? "" : text(1...4)]
    }
    if let first = query.first, Bool.random(using: &random) { query.append([first[0], text(0...2)]) }
    headers = (0..<Int.random(in: 0...4, using: &random)).map { _ in
      let padding = ["", " ", "  ", "\t", " \t "]
      let words = (0..<Int.random(in: 1...3, using: &random)).map { _ in
        characters("abcXYZ019-_.:/=+,;\"()", Int.random(in: 1...12, using: &random))
      }
      let value = words.joined(separator: [" ", "  ", "\t", " \t  "].randomElement(using: &random)!)
      return [
        Self.headerNames.randomElement(using: &random)!,
        padding.randomElement(using: &random)! + value + padding.randomElement(using: &random)!,
      ]
    }
    let bytes =
      Bool.random(using: &random)
      ? [] : (0..<Int.random(in: 1...300, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
    body = Data(bytes).base64EncodedString()
    unsignedPayload = Bool.random(using: &random)
    let temporary = Bool.random(using: &random)
    accessKey = (temporary ? "ASIA" : "AKIA") + characters("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16)
    secret = characters(base64, 40)
    token = temporary ? characters(base64, Int.random(in: 100...400, using: &random)) + "==" : nil
    // Whole milliseconds: Python rounds a timestamp to microseconds, which could cross a second otherwise.
    time = Double(Int64.random(in: 946_684_800_000...4_102_444_799_999, using: &random)) / 1000
  }

  var signer: SigV4Signer {
    SigV4Signer.s3(
      credentials: AWSCredentials(accessKeyID: accessKey, secretAccessKey: secret, sessionToken: token), region: region)
  }

  var toSign: SigV4Request {
    SigV4Request(
      method: method, host: host, path: path, query: query.map { ($0[0], $0[1]) },
      headers: headers.map { ($0[0], $0[1]) },
      payloadHash: unsignedPayload
        ? SigV4Signer.unsignedPayload : SigV4Signer.payloadHash(of: Data(base64Encoded: body)!))
  }
}
