import Foundation
import Testing

@testable import TreasuryStorage

/// S3's answers read without a server: error documents (including the wrong-region ones moto cannot produce),
/// addressing, and the settings and targets that are refused before anything is sent.
struct S3AnswerTests {
  static func error(_ xml: String, status: Int, region: String? = nil) -> S3ErrorAnswer {
    S3ErrorAnswer(status: status, body: Array(xml.utf8), bucketRegion: region) { $0 }
  }

  @Test func slowDownIsReadAndRetryable() {
    let answer = Self.error(
      #"<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>"#,
      status: 503)
    #expect(answer.code == "SlowDown")
    #expect(answer.message == "Please reduce your request rate.")
    #expect(answer.isRetryable)
  }

  /// AWS's answer to a request signed for the wrong region: the right one is in the body (no redirect to follow).
  @Test func authorizationHeaderMalformedNamesTheRegion() {
    let answer = Self.error(
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <Error><Code>AuthorizationHeaderMalformed</Code><Message>The authorization header is malformed; the region 'us-east-1' is wrong; expecting 'eu-west-1'</Message><Region>eu-west-1</Region><RequestId>X</RequestId><HostId>Y</HostId></Error>
      """, status: 400)
    #expect(answer.isWrongRegion)
    #expect(answer.region == "eu-west-1")
    let error = answer.storageError(
      url: "s3://b/k", action: "s3:PutObject", bucket: "statements", endpoint: "https://s3.us-east-1.amazonaws.com",
      region: "us-east-1", accessKeyID: "AKIA")
    #expect(error == .wrongRegion(bucket: "statements", used: "us-east-1", actual: "eu-west-1"))
    #expect(error.message.contains("--s3-region eu-west-1"))
    #expect(error.exitStatus == 1)
  }

  /// A 301 to a HEAD has no body: the region comes from `x-amz-bucket-region`.
  @Test func permanentRedirectTakesTheRegionHeader() {
    let answer = S3ErrorAnswer(status: 301, body: [], bucketRegion: "ap-southeast-2") { $0 }
    #expect(answer.isWrongRegion)
    #expect(answer.region == "ap-southeast-2")
  }

  @Test func signatureDoesNotMatchKeepsNoSecretFromTheAnswer() {
    let credentials = AWSCredentials(
      accessKeyID: "AKIAEXAMPLE", secretAccessKey: "s3cr3t/KEY", sessionToken: "T0KEN-123")
    let xml = """
      <Error><Code>SignatureDoesNotMatch</Code><Message>mismatch for T0KEN-123 and s3cr3t/KEY</Message>\
      <CanonicalRequest>PUT /x x-amz-security-token:T0KEN-123</CanonicalRequest></Error>
      """
    let answer = S3ErrorAnswer(status: 403, body: Array(xml.utf8), bucketRegion: nil, redact: credentials.redact)
    #expect(!answer.message.contains("T0KEN-123") && !answer.message.contains("s3cr3t/KEY"))
    let error = answer.storageError(
      url: "s3://b/k", action: "s3:PutObject", bucket: "b", endpoint: "e", region: "r", accessKeyID: "AKIAEXAMPLE")
    #expect(error == .signatureMismatch(url: "s3://b/k", accessKeyID: "AKIAEXAMPLE"))
  }

  @Test func notXMLIsNoCode() {
    #expect(Self.error("<html><body>502 Bad Gateway", status: 502).code == "")
    #expect(S3XML.parse(Array("<!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>".utf8)) == nil)
  }

  @Test func listingsAreRead() throws {
    let xml = """
      <?xml version="1.0" encoding="UTF-8"?>
      <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix>p/</Prefix>
      <Contents><Key>p/a &amp; b.csv</Key><Size>12</Size></Contents><Contents><Key>p/日本.csv</Key><Size>0</Size></Contents>
      <IsTruncated>true</IsTruncated><NextContinuationToken>1/abc=</NextContinuationToken></ListBucketResult>
      """
    let result = try #require(S3XML.parse(Array(xml.utf8)))
    #expect(result.name == "ListBucketResult")
    #expect(result.all("Contents").map { $0.value("Key") } == ["p/a & b.csv", "p/日本.csv"])
    #expect(result.value("NextContinuationToken") == "1/abc=")
  }

  @Test(arguments: [
    (nil as String?, "statements", false, "statements.s3.eu-west-1.amazonaws.com", "/2026-03/a.csv"),
    (nil, "acme.statements", false, "s3.eu-west-1.amazonaws.com", "/acme.statements/2026-03/a.csv"),
    ("http://127.0.0.1:9000", "statements", false, "127.0.0.1:9000", "/statements/2026-03/a.csv"),
    ("http://localhost:9000/", "statements", false, "localhost:9000", "/statements/2026-03/a.csv"),
    ("https://minio.example.com", "statements", false, "statements.minio.example.com", "/2026-03/a.csv"),
    ("https://minio.example.com:443", "statements", true, "minio.example.com", "/statements/2026-03/a.csv"),
    ("http://[::1]:9000", "statements", false, "[::1]:9000", "/statements/2026-03/a.csv"),
  ])
  func addressing(endpoint: String?, bucket: String, pathStyle: Bool, host: String, path: String) throws {
    let resolved = try S3Endpoint(endpoint: endpoint, region: "eu-west-1", bucket: bucket, pathStyle: pathStyle)
    #expect(resolved.host == host)
    #expect(resolved.path("2026-03/a.csv") == path)
  }

  @Test func aRegionChangeMovesOnlyAWSsOwnEndpoint() throws {
    let aws = try S3Endpoint(endpoint: nil, region: "us-east-1", bucket: "statements", pathStyle: false)
    #expect(aws.inRegion("eu-west-1").host == "statements.s3.eu-west-1.amazonaws.com")
    let minio = try S3Endpoint(endpoint: "http://127.0.0.1:9000", region: "us-east-1", bucket: "b-1", pathStyle: false)
    #expect(minio.inRegion("eu-west-1") == minio)
  }

  @Test(arguments: [
    "ftp://example.com", "https://user:pw@example.com", "https://example.com/path", "not a url", "https://x?y=1",
  ])
  func endpointsThatAreRefused(_ endpoint: String) {
    #expect(throws: StorageError.self) {
      try S3Endpoint(endpoint: endpoint, region: "us-east-1", bucket: "statements", pathStyle: false)
    }
  }

  @Test func settingsOutOfRangeAreRefusedBeforeAnythingIsSent() async {
    let environment = ["AWS_ACCESS_KEY_ID": "AKIA", "AWS_SECRET_ACCESS_KEY": "secret"]
    for settings in [StoreSettings(partSize: 4 << 20), StoreSettings(concurrency: 0), StoreSettings(timeout: 0)] {
      await #expect(throws: StorageError.self) {
        _ = try await openStore(.s3(bucket: "statements", prefix: ""), settings: settings, environment: environment)
      }
    }
  }

  @Test func base64OfAHexDigest() {
    #expect(
      S3Store.base64(hex: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        == "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")
  }
}
