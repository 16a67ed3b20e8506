import Foundation
import Testing

@testable import TreasuryJob
@testable import TreasuryStorage

/// The aws-c-auth signing test suite (Tests/reference/aws-sigv4, unchanged copy): every case's `header-*` files.
struct SigV4SuiteTests {
  static let folder = TestSupport.root.appendingPathComponent("Tests/reference/aws-sigv4/v4").path
  static let cases: [String] =
    ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()

  /// A parameterized test over an empty list passes; this one proves the cases were found.
  @Test func everyCaseIsRun() {
    #expect(Self.cases.count == 38, "found \(Self.cases.count) cases in \(Self.folder)")
  }

  @Test(arguments: cases)
  func headerSigning(name: String) throws {
    let folder = Self.folder + "/" + name
    func file(_ name: String) -> String { TestSupport.text(folder + "/" + name) }
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    let context = try decoder.decode(SuiteContext.self, from: Data(file("context.json").utf8))
    let request = SuiteRequest(file("request.txt"))
    let signer = SigV4Signer(
      credentials: AWSCredentials(
        accessKeyID: context.credentials.accessKeyId, secretAccessKey: context.credentials.secretAccessKey,
        sessionToken: context.credentials.token),
      region: context.region, service: context.service, pathMode: context.normalize ? .normalized : .s3,
      signsPayloadHeader: context.signBody, signsSessionToken: !(context.omitSessionToken ?? false))
    let date = try #require(ISO8601DateFormatter().date(from: context.timestamp))

    let signed = signer.sign(request.toSign, at: date)

    #expect(signed.canonicalRequest == file("header-canonical-request.txt"))
    #expect(signed.stringToSign == file("header-string-to-sign.txt"))
    #expect(signed.signature == file("header-signature.txt"))
    #expect(request.rendered(adding: signed.headers) == file("header-signed-request.txt"))
  }
}

/// `context.json` (snake_case keys).
private struct SuiteContext: Decodable {
  struct Credentials: Decodable {
    var accessKeyId: String
    var secretAccessKey: String
    var token: String?
  }
  var credentials: Credentials
  var region: String
  var service: String
  var timestamp: String
  var normalize: Bool
  var signBody: Bool
  var omitSessionToken: Bool?
}

/// `request.txt`: a request line, header lines (a line starting with white space continues the header before
/// it), and after a blank line the body.
private struct SuiteRequest {
  var requestLine: String
  var headerLines: [String]
  var body: String
  var toSign: SigV4Request

  init(_ text: String) {
    let parts = text.components(separatedBy: "\n\n")
    body = parts.count > 1 ? parts.dropFirst().joined(separator: "\n\n") : ""
    var lines = parts[0].components(separatedBy: "\n")
    if lines.last == "" { lines.removeLast() }
    requestLine = lines.removeFirst()
    headerLines = lines

    // The target may hold spaces (`GET /example space/ HTTP/1.1`): it is what lies between the first and last.
    let method = String(requestLine.prefix { $0 != " " })
    let target = String(requestLine.dropFirst(method.count + 1).dropLast(" HTTP/1.1".count))
    let path = String(target.prefix { $0 != "?" })
    let query = target.dropFirst(path.count + 1).split(separator: "&").map { pair in
      let name = pair.prefix { $0 != "=" }
      let value = pair.dropFirst(name.count + 1)
      return (name: String(name).removingPercentEncoding!, value: String(value).removingPercentEncoding!)
    }
    var headers: [(name: String, value: String)] = []
    for line in lines {
      if line.first == " " || line.first == "\t" {
        headers[headers.count - 1].value += "\n" + line
      } else {
        let name = String(line.prefix { $0 != ":" })
        headers.append((name, String(line.dropFirst(name.count + 1))))
      }
    }
    let host = headers.first { $0.name.lowercased() == "host" }!.value
    toSign = SigV4Request(
      method: method, host: host, path: path, query: query,
      headers: headers.filter { $0.name.lowercased() != "host" },
      payloadHash: SigV4Signer.payloadHash(of: Array(body.utf8)))
  }

  /// The request as the suite prints it signed: the original lines, then the added headers.
  func rendered(adding added: [(name: String, value: String)]) -> String {
    ([requestLine] + headerLines + added.map { "\($0.name):\($0.value)" }).joined(separator: "\n") + "\n\n" + body
  }
}
