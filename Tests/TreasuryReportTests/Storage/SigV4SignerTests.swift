import Foundation
import Testing

@testable import TreasuryStorage

/// The signer's S3 rules that the suite does not reach: keys that normalisation or a second encoding would
/// change, query order, timestamps, AWS's published S3 examples, and secrets kept out of printed values.
struct SigV4SignerTests {
  static let example = AWSCredentials(
    accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
  static let exampleTime = Date(timeIntervalSince1970: 1_369_353_600)  // 2013-05-24T00:00:00Z
  static let host = "examplebucket.s3.amazonaws.com"

  /// The "Examples: Signature Calculations" of the S3 API reference (GET Object, GET Bucket lifecycle, List Objects).
  @Test(arguments: [
    (
      "/test.txt", [] as [(String, String)], [("Range", "bytes=0-9")], "host;range;x-amz-content-sha256;x-amz-date",
      "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
    ),
    (
      "/", [("lifecycle", "")], [], "host;x-amz-content-sha256;x-amz-date",
      "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543"
    ),
    (
      "/", [("prefix", "J"), ("max-keys", "2")], [], "host;x-amz-content-sha256;x-amz-date",
      "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"
    ),
  ])
  func awsS3Examples(
    path: String, query: [(String, String)], headers: [(String, String)], names: String, signature: String
  ) {
    let signer = SigV4Signer.s3(credentials: Self.example, region: "us-east-1")
    let request = SigV4Request(
      method: "GET", host: Self.host, path: path, query: query.map { ($0.0, $0.1) },
      headers: headers.map { ($0.0, $0.1) })
    let signed = signer.sign(request, at: Self.exampleTime)
    #expect(
      signed.authorization
        == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
        + "SignedHeaders=\(names), Signature=\(signature)")
    #expect(signed.headers.map(\.name) == ["X-Amz-Date", "x-amz-content-sha256", "Authorization"])
    #expect(signed.headers[1].value == SigV4Signer.emptyPayloadHash)
  }

  /// `a//b`, `.` and `..` are legal in S3 keys and name different objects: signing must not resolve them, and must
  /// encode `%`, `+`, `=`, `&`, `:`, `@`, spaces and UTF-8 exactly once.
  @Test func s3KeysAreEncodedOnceAndNeverNormalised() {
    let signer = SigV4Signer.s3(credentials: Self.example, region: "eu-west-1")
    let key = "/bucket/a//b/./c/../d e+f%20g~h=i&j:k@l/é日本😀"
    let signed = signer.sign(SigV4Request(method: "PUT", host: Self.host, path: key), at: Self.exampleTime)
    #expect(
      signed.canonicalURI
        == "/bucket/a//b/./c/../d%20e%2Bf%2520g~h%3Di%26j%3Ak%40l/%C3%A9%E6%97%A5%E6%9C%AC%F0%9F%98%80")
    #expect(signed.canonicalRequest.split(separator: "\n", omittingEmptySubsequences: false)[1] == signed.canonicalURI)
  }

  /// Other services get the path normalised and its existing escapes encoded a second time.
  @Test func otherServicesNormaliseAndDoubleEncode() {
    let signer = SigV4Signer(
      credentials: Self.example, region: "us-east-1", service: "service", pathMode: .normalized,
      signsPayloadHeader: false)
    let signed = signer.sign(
      SigV4Request(method: "GET", host: "example.amazonaws.com", path: "//a/./b/../c%20d//"), at: Self.exampleTime)
    #expect(signed.canonicalURI == "/a/c%2520d/")
    #expect(!signed.headers.contains { $0.name.lowercased() == "x-amz-content-sha256" })
  }

  /// Sorted by encoded name, then by encoded value (not as whole `name=value` strings, nor by the raw text).
  @Test func queryIsEncodedThenSortedByNameThenValue() {
    let signer = SigV4Signer.s3(credentials: Self.example, region: "us-east-1")
    let query: [(name: String, value: String)] = [
      ("a-b", "1"), ("a", "z"), ("a~", "1"), ("aé", "2"), ("k", "x y"), ("k", "+"), ("k", ""), ("k", "a=b&c"),
      ("uploads", ""), ("日本", "ü/😀"),
    ]
    let signed = signer.sign(
      SigV4Request(method: "GET", host: Self.host, path: "/", query: query), at: Self.exampleTime)
    #expect(
      signed.canonicalQuery
        == "%E6%97%A5%E6%9C%AC=%C3%BC%2F%F0%9F%98%80&a=z&a%C3%A9=2&a-b=1&a~=1&k=&k=%2B&k=a%3Db%26c&k=x%20y&uploads=")
  }

  /// Trimmed, inner white space runs (folded lines too) made one space, repeats joined in order, names lowercased.
  @Test func headersAreCanonicalised() {
    let signer = SigV4Signer.s3(credentials: Self.example, region: "us-east-1")
    let headers: [(name: String, value: String)] = [
      ("X-Amz-Meta-Note", "  a \t b\r\n   c  "), ("x-amz-meta-note", "second"), ("Content-Type", "text/csv"),
      ("X-AMZ-META-NOTE", ""),
    ]
    let signed = signer.sign(
      SigV4Request(
        method: "PUT", host: Self.host, path: "/k", headers: headers, payloadHash: SigV4Signer.unsignedPayload),
      at: Self.exampleTime)
    let lines = signed.canonicalRequest.components(separatedBy: "\n")
    #expect(lines.contains("x-amz-meta-note:a b c,second,"))
    #expect(lines.contains("content-type:text/csv"))
    #expect(lines.contains("content-type;host;x-amz-content-sha256;x-amz-date;x-amz-meta-note"))
    #expect(lines.last == "UNSIGNED-PAYLOAD")
    #expect(signed.headers.contains { $0 == ("x-amz-content-sha256", "UNSIGNED-PAYLOAD") })
  }

  @Test(arguments: [
    (951_868_799.999, "20000229T235959Z"), (1_709_251_199.5, "20240229T235959Z"), (0, "19700101T000000Z"),
    (4_102_444_800, "21000101T000000Z"), (1_440_938_160, "20150830T123600Z"),
  ])
  func timestampsAreUTCSeconds(seconds: Double, stamp: String) {
    let (day, time) = SigV4Signer.timestamp(Date(timeIntervalSince1970: seconds))
    #expect(time == stamp)
    #expect(day == String(stamp.prefix(8)))
  }

  /// With temporary credentials the token is sent and signed, and the scope names the day of the signing time.
  @Test func sessionTokenIsSentAndSigned() {
    let credentials = AWSCredentials(
      accessKeyID: "ASIAEXAMPLE", secretAccessKey: "secret/with+chars", sessionToken: "tok/en+==")
    let signed = SigV4Signer.s3(credentials: credentials, region: "ap-northeast-1")
      .sign(SigV4Request(method: "HEAD", host: Self.host, path: "/k"), at: Self.exampleTime)
    #expect(signed.headers.first! == ("X-Amz-Security-Token", "tok/en+=="))
    #expect(signed.canonicalRequest.contains("\nx-amz-security-token:tok/en+==\n"))
    #expect(signed.authorization.contains("/20130524/ap-northeast-1/s3/aws4_request, "))
    #expect(signed.authorization.contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,"))
  }

  /// Neither the secret nor the token shows in anything printed: the credentials, the signer, the signature.
  @Test func secretsAreNeverPrinted() {
    let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    let token = "FwoGZXIvYXdzEXAMPLETOKEN//////////wEaDEXAMPLE"
    let credentials = AWSCredentials(accessKeyID: "ASIAEXAMPLE", secretAccessKey: secret, sessionToken: token)
    let signer = SigV4Signer.s3(credentials: credentials, region: "us-east-1")
    let signed = signer.sign(SigV4Request(method: "GET", host: Self.host, path: "/k"), at: Self.exampleTime)
    var dumped = ""
    dump(credentials, to: &dumped)
    dump(signer, to: &dumped)
    dump(signed, to: &dumped)
    let printed = [
      "\(credentials)", String(describing: credentials), String(reflecting: credentials), "\(signer)",
      String(reflecting: signer), "\(signed)", String(reflecting: signed), dumped,
      credentials.redact(
        "SignatureDoesNotMatch: <CanonicalRequest>x-amz-security-token:\(token)</CanonicalRequest> \(secret)"),
    ]
    for text in printed {
      #expect(!text.contains(secret) && !text.contains(token), "\(text)")
    }
    #expect("\(credentials)".contains("ASIAEXAMPLE"))
  }
}
