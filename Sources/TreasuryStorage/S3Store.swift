import Crypto
import Foundation
import Synchronization
@_spi(Inlining) import TreasuryModel

/// An `ObjectStore` on an S3 bucket (AWS, or MinIO, Ceph, GCS… through `--s3-endpoint`), under a key prefix.
///
/// Every object is written with `x-amz-meta-sha256` (the whole object's SHA-256, lowercase hex) and
/// `x-amz-checksum-sha256`, so S3 refuses a body that does not match (`BadDigest`), and with
/// `If-None-Match: *`, so it refuses to replace an object that appeared since the look before writing. A file
/// larger than the part size goes as a multipart upload (`S3Store+Multipart.swift`), which a later `put` of the
/// same key resumes. Downloads are ranged GETs of `chunkSize`, since `BoundedHTTP` holds an answer in memory.
package final class S3Store: ObjectStore {
  package let bucket: String
  /// Keys are `prefix/<key>`; empty: at the bucket's root.
  package let prefix: String
  let client: S3Client
  /// Bytes per part of a multipart upload (at least 5 MiB), and the size above which one is used.
  package let partSize: Int
  /// Parts in flight at once.
  package let concurrency: Int
  /// Bytes per ranged GET.
  package let chunkSize: Int
  /// Entries per listing page; nil: the service's default.
  let pageSize: Int?
  /// Multipart uploads this store started or resumed, which `removeIncompleteUploads` leaves alone.
  let ownUploads = Mutex<Set<String>>([])

  init(
    bucket: String, prefix: String, client: S3Client, partSize: Int, concurrency: Int, chunkSize: Int = 8 << 20,
    pageSize: Int? = nil
  ) {
    self.bucket = bucket
    self.prefix = prefix
    self.client = client
    self.partSize = partSize
    self.concurrency = max(1, concurrency)
    self.chunkSize = chunkSize
    self.pageSize = pageSize
  }

  package var target: StorageTarget { .s3(bucket: bucket, prefix: prefix) }

  /// The key in the bucket.
  func fullKey(_ key: String) -> String { prefix.isEmpty ? key : prefix + "/" + key }

  package func head(_ key: String) async throws(StorageError) -> StoredObject? {
    try StorageKey.validate(key, in: target)
    let answer = try await client.send(
      S3Call(method: "HEAD", key: fullKey(key), action: "s3:GetObject", accept: [200, 404]),
      url: target.display(key))
    guard answer.status == 200 else { return nil }
    guard let size = answer.header("Content-Length").flatMap(Int64.init) else {
      throw .unexpectedAnswer(url: target.display(key), reason: "a HEAD answer without Content-Length")
    }
    var retention: Retention?
    if let mode = answer.header("x-amz-object-lock-mode").flatMap({ Retention.Mode(rawValue: $0.uppercased()) }),
      let until = answer.header("x-amz-object-lock-retain-until-date").flatMap(Retention.date)
    {
      retention = Retention(mode: mode, until: until)
    }
    let sha = answer.header("x-amz-meta-sha256").map { $0.lowercased() }
    return StoredObject(key: key, size: size, sha256: sha, retention: retention)
  }

  package func list(under keyPrefix: String) async throws(StorageError) -> [StoredObject] {
    try StorageKey.validate(prefix: keyPrefix, in: target)
    let base = prefix.isEmpty ? "" : prefix + "/"
    var found: [StoredObject] = []
    var token: String?
    repeat {
      var query = [(name: "list-type", value: "2"), (name: "prefix", value: base + keyPrefix)]
      if let token { query.append(("continuation-token", token)) }
      if let pageSize { query.append(("max-keys", String(pageSize))) }
      let answer = try await client.send(
        S3Call(method: "GET", key: nil, query: query, action: "s3:ListBucket", maxBytes: 1 << 24),
        url: target.display(keyPrefix))
      guard let result = S3XML.parse(answer.body), result.name == "ListBucketResult" else {
        throw .unexpectedAnswer(url: target.display(keyPrefix), reason: "a listing that is not a ListBucketResult")
      }
      for entry in result.all("Contents") {
        guard let key = entry.value("Key"), key.hasPrefix(base), let size = entry.value("Size").flatMap(Int64.init)
        else { throw .unexpectedAnswer(url: target.display(keyPrefix), reason: "a listed object without Key or Size") }
        found.append(StoredObject(key: String(key.dropFirst(base.count)), size: size))
      }
      token = result.value("IsTruncated") == "true" ? result.value("NextContinuationToken") : nil
    } while token != nil
    return found.sorted { StorageKey.precedes($0.key, $1.key) }
  }

  package func put(_ key: String, file path: String, size: Int64, sha256: String, options: PutOptions)
    async throws(StorageError) -> PutOutcome
  {
    try StorageKey.validate(key, in: target)
    if let outcome = try await compare(key, sha256: sha256) { return outcome }
    if size > Int64(partSize) {
      return try await putInParts(key, file: path, size: size, sha256: sha256, options: options)
    }
    let bytes = try FileDigest.slice(path, offset: 0, count: Int(size))
    var headers = objectHeaders(sha256: sha256, options: options)
    // S3 takes the algorithm header as its proof of integrity where Object Lock asks for Content-MD5.
    headers += [("x-amz-sdk-checksum-algorithm", "SHA256"), ("x-amz-checksum-sha256", Self.base64(hex: sha256))]
    headers.append(("If-None-Match", "*"))
    // The payload hash signed is the one the caller vouches for: S3 refuses a body that does not hash to it.
    let answer = try await client.send(
      S3Call(
        method: "PUT", key: fullKey(key), headers: headers, body: bytes, payloadHash: sha256,
        action: "s3:PutObject", accept: [200, 409, 412]),
      url: target.display(key))
    guard answer.status == 200 else { return try await afterConflict(key, sha256: sha256) }
    return .written
  }

  package func replace(_ key: String, file path: String, size: Int64, sha256: String, options: PutOptions)
    async throws(StorageError)
  {
    try StorageKey.validate(key, in: target)
    let bytes = try FileDigest.slice(path, offset: 0, count: Int(size))
    var headers = objectHeaders(sha256: sha256, options: options)
    headers += [("x-amz-sdk-checksum-algorithm", "SHA256"), ("x-amz-checksum-sha256", Self.base64(hex: sha256))]
    _ = try await client.send(
      S3Call(
        method: "PUT", key: fullKey(key), headers: headers, body: bytes, payloadHash: sha256,
        action: "s3:PutObject", accept: [200]),
      url: target.display(key))
  }

  package func delete(_ key: String) async throws(StorageError) {
    try StorageKey.validate(key, in: target)
    _ = try await client.send(
      S3Call(method: "DELETE", key: fullKey(key), action: "s3:DeleteObject", accept: [200, 204, 404]),
      url: target.display(key))
  }

  package func download(_ key: String, to path: String, maxBytes: Int64) async throws(StorageError) -> String {
    try StorageKey.validate(key, in: target)
    let file = try NewFile(path)
    let sha = try await read(key, maxBytes: maxBytes) { (bytes) throws(StorageError) in try file.write(bytes) }
    file.keep()
    return sha
  }

  /// The object's SHA-256, computed over its bytes (for an object written without `x-amz-meta-sha256`).
  func hash(_ key: String) async throws(StorageError) -> String {
    try await read(key, maxBytes: .max) { (_) throws(StorageError) in }
  }

  /// Reads the object in ranged GETs of `chunkSize`, handing each piece to `sink` in order; returns its SHA-256.
  /// Later ranges carry `If-Match` with the first one's ETag, so a replaced object cannot be read half old.
  private func read(
    _ key: String, maxBytes: Int64, _ sink: ([UInt8]) throws(StorageError) -> Void
  ) async throws(StorageError) -> String {
    let url = target.display(key)
    var hasher = SHA256()
    var offset: Int64 = 0
    var total: Int64?
    var etag: String?
    while total.map({ offset < $0 }) ?? true {
      var headers = [(name: "Range", value: "bytes=\(offset)-\(offset + Int64(chunkSize) - 1)")]
      if let etag { headers.append(("If-Match", etag)) }
      let answer = try await client.send(
        S3Call(
          method: "GET", key: fullKey(key), headers: headers, action: "s3:GetObject", accept: [200, 206, 404, 416],
          maxBytes: chunkSize + 1),
        url: url)
      switch answer.status {
      case 404: throw .notFound(url: url)
      case 416:
        // A range past the end: the object is empty (only the first request can get here).
        guard offset == 0 else { throw .unexpectedAnswer(url: url, reason: "416 for a range inside the object") }
        total = 0
        continue
      case 200:
        // The whole object, when the service ignores Range.
        total = Int64(answer.body.count)
      default:
        guard let range = answer.header("Content-Range"), let slash = range.lastIndex(of: "/"),
          let size = Int64(range[range.index(after: slash)...])
        else { throw .unexpectedAnswer(url: url, reason: "a 206 answer without Content-Range") }
        total = size
      }
      etag = etag ?? answer.header("ETag")
      if let total, total > maxBytes { throw .tooLarge(url: url, size: total, maxBytes: maxBytes) }
      guard !answer.body.isEmpty || total == offset else {
        throw .unexpectedAnswer(url: url, reason: "an empty range at \(offset) of \(total ?? 0) bytes")
      }
      hasher.update(data: answer.body)
      try sink(answer.body)
      offset += Int64(answer.body.count)
    }
    return Hex.string(hasher.finalize())
  }

  /// `.unchanged` when `key` holds `sha256`, nil when nothing is there; throws `.objectExists` for other bytes.
  func compare(_ key: String, sha256: String) async throws(StorageError) -> PutOutcome? {
    guard let stored = try await head(key) else { return nil }
    var storedSHA = stored.sha256
    if storedSHA == nil { storedSHA = try await hash(key) }
    guard storedSHA == sha256 else {
      throw .objectExists(key: key, target: target.description, storedSHA256: storedSHA, localSHA256: sha256)
    }
    return .unchanged
  }

  /// After S3 refused a conditional write because the key now exists: what is there decides.
  func afterConflict(_ key: String, sha256: String) async throws(StorageError) -> PutOutcome {
    guard let outcome = try await compare(key, sha256: sha256) else {
      throw .unexpectedAnswer(
        url: target.display(key), reason: "refused the write as if the object existed, but it does not: publish again")
    }
    return outcome
  }

  /// The headers every new object is written with: type, whole-object SHA-256, retention, encryption.
  func objectHeaders(sha256: String, options: PutOptions) -> [(name: String, value: String)] {
    var headers = [(name: "Content-Type", value: options.contentType), (name: "x-amz-meta-sha256", value: sha256)]
    if let retention = options.retention {
      headers.append(("x-amz-object-lock-mode", retention.mode.rawValue))
      headers.append(("x-amz-object-lock-retain-until-date", retention.untilText))
    }
    switch options.encryption {
    case nil: break
    case .aes256: headers.append(("x-amz-server-side-encryption", "AES256"))
    case .kms(let keyID):
      headers.append(("x-amz-server-side-encryption", "aws:kms"))
      if let keyID { headers.append(("x-amz-server-side-encryption-aws-kms-key-id", keyID)) }
    }
    return headers
  }

  /// A SHA-256 given in hex, as base64 (`x-amz-checksum-sha256`).
  static func base64(hex: String) -> String {
    var bytes: [UInt8] = []
    var index = hex.startIndex
    while index < hex.endIndex, let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex) {
      bytes.append(UInt8(hex[index..<next], radix: 16) ?? 0)
      index = next
    }
    return Data(bytes).base64EncodedString()
  }
}
