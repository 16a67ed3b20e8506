import Crypto
import Foundation
@_spi(Inlining) import TreasuryModel

/// Signs HTTP requests with AWS Signature Version 4 (header form, `AWS4-HMAC-SHA256`), for S3 and its clones.
///
/// The rules followed are AWS's "Create a signed AWS API request" and the aws-c-auth signing test suite
/// (Tests/reference/aws-sigv4): header names lowercased and sorted, values trimmed with inner runs of white space
/// (line breaks of folded headers included) collapsed to one space, repeated headers joined with commas in the
/// order sent; query names and values RFC 3986-encoded (only `A-Za-z0-9-._~` kept, so a space is `%20` and `+` is
/// `%2B`) and sorted by name then value; times in UTC. It does no I/O.
package struct SigV4Signer: Sendable {
  /// How the path becomes the canonical URI.
  package enum PathMode: Sendable {
    /// S3: `path` is the decoded object path; each byte outside `A-Za-z0-9-._~/` is percent-encoded once and
    /// nothing is normalised, because `a//b`, `./` and `../` are legal parts of an object key.
    case s3
    /// Every other service (the suite's `normalize: true`): empty, `.` and `..` segments are resolved, then the
    /// path as sent, already encoded, is percent-encoded again (AWS's "double encoding": `%20` becomes `%2520`).
    case normalized
  }

  /// The hash that stands for a body the signature does not cover (S3 only).
  package static let unsignedPayload = "UNSIGNED-PAYLOAD"
  /// The SHA-256 of no bytes.
  package static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

  package var credentials: AWSCredentials
  package var region: String
  package var service: String
  package var pathMode: PathMode
  /// Whether `x-amz-content-sha256` is sent and signed; S3 refuses a request without it.
  package var signsPayloadHeader: Bool
  /// Whether the session token is signed (S3, STS) or only added after signing (suite `post-sts-header-after`).
  package var signsSessionToken: Bool

  package init(
    credentials: AWSCredentials, region: String, service: String, pathMode: PathMode,
    signsPayloadHeader: Bool, signsSessionToken: Bool = true
  ) {
    self.credentials = credentials
    self.region = region
    self.service = service
    self.pathMode = pathMode
    self.signsPayloadHeader = signsPayloadHeader
    self.signsSessionToken = signsSessionToken
  }

  /// The signer S3 and S3-compatible services expect: service `s3`, unnormalised path, payload header signed.
  package static func s3(credentials: AWSCredentials, region: String) -> SigV4Signer {
    SigV4Signer(credentials: credentials, region: region, service: "s3", pathMode: .s3, signsPayloadHeader: true)
  }

  /// The lowercase hex SHA-256 of a body, for `SigV4Request.payloadHash`.
  package static func payloadHash(of body: some DataProtocol) -> String { Hex.string(SHA256.hash(data: body)) }

  /// Signs `request` as made at `date` (whole seconds, UTC).
  package func sign(_ request: SigV4Request, at date: Date) -> SigV4Signature {
    let reserved: Set = ["host", "authorization", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token"]
    precondition(
      request.headers.allSatisfy { !reserved.contains($0.name.lowercased()) },
      "SigV4Signer adds Host, Authorization and the X-Amz- signing headers itself")
    precondition(request.path.isEmpty || request.path.hasPrefix("/"), "a SigV4 path starts with /")

    let (day, time) = Self.timestamp(date)
    // The order the suite's signed requests show them in.
    var added: [(name: String, value: String)] = []
    if let token = credentials.sessionToken { added.append(("X-Amz-Security-Token", token)) }
    added.append(("X-Amz-Date", time))
    // Lowercase as in the suite's expected requests; header names are case-insensitive.
    if signsPayloadHeader { added.append(("x-amz-content-sha256", request.payloadHash)) }

    let addedSigned = signsSessionToken ? added : added.filter { $0.name != "X-Amz-Security-Token" }
    var signed: [String: [String]] = [:]
    for (name, value) in [("host", request.host)] + request.headers + addedSigned {
      signed[name.lowercased(), default: []].append(Self.trimmed(value))
    }
    let names = signed.keys.sorted(by: Self.bytewise)
    let signedHeaders = names.joined(separator: ";")

    let canonicalURI: String
    switch pathMode {
    case .s3: canonicalURI = Self.encoded(request.path.isEmpty ? "/" : request.path, keepingSlash: true)
    case .normalized: canonicalURI = Self.encoded(Self.removingDotSegments(request.path), keepingSlash: true)
    }
    let canonicalQuery = request.query
      .map { (Self.encoded($0.name, keepingSlash: false), Self.encoded($0.value, keepingSlash: false)) }
      .sorted { $0.0 != $1.0 ? Self.bytewise($0.0, $1.0) : Self.bytewise($0.1, $1.1) }
      .map { $0.0 + "=" + $0.1 }.joined(separator: "&")

    let canonicalRequest = [
      request.method, canonicalURI, canonicalQuery,
      names.map { $0 + ":" + signed[$0]!.joined(separator: ",") + "\n" }.joined(),
      signedHeaders, request.payloadHash,
    ].joined(separator: "\n")
    let scope = "\(day)/\(region)/\(service)/aws4_request"
    let stringToSign = [
      "AWS4-HMAC-SHA256", time, scope, Hex.string(SHA256.hash(data: Array(canonicalRequest.utf8))),
    ].joined(separator: "\n")

    var key = Array(("AWS4" + credentials.secretAccessKey).utf8)
    for part in [day, region, service, "aws4_request"] { key = Self.hmac(key, part) }
    let signature = Hex.string(Self.hmac(key, stringToSign))

    added.append(
      (
        "Authorization",
        "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), SignedHeaders=\(signedHeaders), "
          + "Signature=\(signature)"
      ))
    return SigV4Signature(
      headers: added, canonicalURI: canonicalURI, canonicalQuery: canonicalQuery,
      canonicalRequest: canonicalRequest, stringToSign: stringToSign, signature: signature)
  }

  private static func hmac(_ key: [UInt8], _ text: String) -> [UInt8] {
    Array(HMAC<SHA256>.authenticationCode(for: Array(text.utf8), using: SymmetricKey(data: key)))
  }

  // Canonical texts sort by bytes; String's `<` follows Unicode ordering, which could differ.
  private static func bytewise(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }

  /// `YYYYMMDD` and `YYYYMMDD'T'HHMMSS'Z'` in UTC.
  static func timestamp(_ date: Date) -> (day: String, time: String) {
    let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
    let civil = CivilDate(localSeconds: seconds)
    let ofDay = Int(((seconds % 86_400) + 86_400) % 86_400)
    func digits(_ n: Int, _ width: Int) -> String {
      let text = String(n)
      return String(repeating: "0", count: max(0, width - text.count)) + text
    }
    let day = digits(civil.year, 4) + digits(civil.month, 2) + digits(civil.day, 2)
    return (day, day + "T" + digits(ofDay / 3600, 2) + digits(ofDay / 60 % 60, 2) + digits(ofDay % 60, 2) + "Z")
  }

  /// The UTF-8 bytes of `text` with everything outside RFC 3986's unreserved set (and `/` when asked) as `%XX`.
  static func encoded(_ text: String, keepingSlash: Bool) -> String {
    let hex = Array("0123456789ABCDEF".utf8)
    var out: [UInt8] = []
    for byte in text.utf8 {
      switch byte {
      case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
        UInt8(ascii: "~"):
        out.append(byte)
      case UInt8(ascii: "/") where keepingSlash:
        out.append(byte)
      default:
        out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 15)]]
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// The path with empty and `.` segments dropped and each `..` removing the segment before it; a trailing `/`
  /// stays when anything is left (`//a//` → `/a/`, `/a/..` → `/`).
  static func removingDotSegments(_ path: String) -> String {
    var kept: [Substring] = []
    for segment in path.split(separator: "/", omittingEmptySubsequences: true) where segment != "." {
      if segment == ".." { _ = kept.popLast() } else { kept.append(segment) }
    }
    return "/" + kept.joined(separator: "/") + (path.hasSuffix("/") && !kept.isEmpty ? "/" : "")
  }

  /// A header value with its ends trimmed and every inner run of spaces, tabs and line breaks made one space.
  static func trimmed(_ value: String) -> String {
    var out = ""
    var pendingSpace = false
    for scalar in value.unicodeScalars {
      if scalar == " " || scalar == "\t" || scalar == "\r" || scalar == "\n" {
        pendingSpace = !out.isEmpty
      } else {
        if pendingSpace { out.unicodeScalars.append(" ") }
        pendingSpace = false
        out.unicodeScalars.append(scalar)
      }
    }
    return out
  }
}
