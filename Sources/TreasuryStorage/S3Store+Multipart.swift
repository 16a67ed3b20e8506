import Crypto
import Foundation
@_spi(Inlining) import TreasuryModel

/// Multipart uploads: parts in parallel, each with its SHA-256; an interrupted upload of the same key resumed.
extension S3Store {
  /// One part as S3 lists it or as it was just uploaded.
  struct Part: Sendable {
    var number: Int
    var etag: String
    /// Base64, as `x-amz-checksum-sha256` and `ChecksumSHA256` carry it.
    var checksum: String
  }

  /// The part size used for a file of `size` bytes: the store's, raised (to whole MiB) so that it fits in
  /// S3's 10,000 parts.
  func partSize(for size: Int64) -> Int {
    let needed = (size + 9_999) / 10_000
    let mib: Int64 = 1 << 20
    return max(partSize, Int((needed + mib - 1) / mib * mib))
  }

  /// Uploads the file in parts, resuming an interrupted upload of the same key whose parts match the file.
  func putInParts(_ key: String, file path: String, size: Int64, sha256: String, options: PutOptions)
    async throws(StorageError) -> PutOutcome
  {
    let url = target.display(key)
    let partSize = partSize(for: size)
    // One pass over the file: the whole digest proves it is the file the caller describes, and each part's
    // digest is what a resumed upload's parts are compared with and what each part is checked against as it goes.
    let local = try FileDigest.parts(path, partSize: partSize)
    guard local.size == size, local.sha256 == sha256 else {
      throw .localFileChanged(path: path, expectedSHA256: sha256, actualSHA256: local.sha256)
    }
    let checksums = local.parts.map { Data($0).base64EncodedString() }
    let sizes = (0..<checksums.count).map { min(Int64(partSize), size - Int64($0) * Int64(partSize)) }

    var (uploadID, done) = try await resumable(key, checksums: checksums, sizes: sizes)
    if let uploadID {
      ownUploads.withLock { _ = $0.insert(uploadID) }
    } else {
      var headers = objectHeaders(sha256: sha256, options: options)
      headers.append(("x-amz-checksum-algorithm", "SHA256"))
      let answer = try await client.send(
        S3Call(method: "POST", key: fullKey(key), query: [("uploads", "")], headers: headers, action: "s3:PutObject"),
        url: url)
      guard let id = S3XML.parse(answer.body)?.value("UploadId"), !id.isEmpty else {
        throw .unexpectedAnswer(url: url, reason: "CreateMultipartUpload answered no UploadId")
      }
      ownUploads.withLock { _ = $0.insert(id) }
      uploadID = id
    }
    let id = uploadID!
    let missing = (1...checksums.count).filter { done[$0] == nil }
    let parts = try await upload(
      missing, of: path, size: size, key: key, uploadID: id, partSize: partSize, checksums: checksums)
    for part in parts {
      done[part.number] = part
    }

    let body =
      "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
      + (1...checksums.count).map { number in
        let part = done[number]!
        return "<Part><ETag>\(S3XML.escaped(part.etag))</ETag><PartNumber>\(number)</PartNumber>"
          + "<ChecksumSHA256>\(part.checksum)</ChecksumSHA256></Part>"
      }.joined() + "</CompleteMultipartUpload>"
    let answer = try await client.send(
      S3Call(
        method: "POST", key: fullKey(key), query: [("uploadId", id)],
        // Without a type, URLSession labels a POST body a form, which a server may read as one (moto does).
        headers: [("Content-Type", "application/xml"), ("If-None-Match", "*")],
        body: Array(body.utf8), action: "s3:PutObject", accept: [200, 409, 412], errorIn200: true),
      url: url)
    guard answer.status == 200 else {
      // Someone wrote the key meanwhile: this upload is no longer wanted.
      try await abort(key: fullKey(key), uploadID: id)
      return try await afterConflict(key, sha256: sha256)
    }
    // A resumed upload keeps the x-amz-meta-sha256 it was started with: check it names these bytes.
    guard let written = try await head(key), written.sha256 == sha256, written.size == size else {
      throw .unexpectedAnswer(
        url: url,
        reason:
          "the completed upload does not carry x-amz-meta-sha256 \(sha256) and size \(size) (an upload of other bytes under this name was resumed?): compare it with the local file before trusting it"
      )
    }
    return .written
  }

  /// The interrupted upload of `key` whose parts all match the file (the one with most parts, if several) and
  /// those parts; every other upload of that exact key is aborted.
  private func resumable(_ key: String, checksums: [String], sizes: [Int64]) async throws(StorageError) -> (
    String?, [Int: Part]
  ) {
    let full = fullKey(key)
    var best: (id: String, parts: [Int: Part])?
    for upload in try await uploads(under: full) where upload.key == full {
      let parts = try await listParts(key: full, uploadID: upload.id)
      let matches = parts.allSatisfy {
        (1...checksums.count).contains($0.number) && $0.checksum == checksums[$0.number - 1]
          && $0.size == sizes[$0.number - 1]
      }
      // An upload with no part yet saves nothing and may have been started for other bytes: not worth the risk.
      if matches, !parts.isEmpty, parts.count > best?.parts.count ?? 0, !ownUploads.withLock({ $0.contains(upload.id) })
      {
        if let previous = best { try await abort(key: full, uploadID: previous.id) }
        best = (upload.id, Dictionary(parts.map { ($0.number, $0.part) }, uniquingKeysWith: { a, _ in a }))
      } else if !ownUploads.withLock({ $0.contains(upload.id) }) {
        try await abort(key: full, uploadID: upload.id)
      }
    }
    return (best?.id, best?.parts ?? [:])
  }

  /// Uploads parts `numbers`, `concurrency` at a time; each is read, checked against its digest from the pass
  /// over the file, and sent with its checksum.
  private func upload(
    _ numbers: [Int], of path: String, size: Int64, key: String, uploadID: String, partSize: Int, checksums: [String]
  ) async throws(StorageError) -> [Part] {
    let url = target.display(key)
    let full = fullKey(key)
    let client = self.client
    let result: Result<[Part], StorageError> = await withTaskGroup(of: Result<Part, StorageError>.self) { group in
      var pending = numbers[...]
      var sent: [Part] = []
      var failure: StorageError?
      func start() {
        guard failure == nil, let number = pending.popFirst() else { return }
        group.addTask {
          do throws(StorageError) {
            let offset = Int64(number - 1) * Int64(partSize)
            let count = Int(min(Int64(partSize), size - offset))
            let bytes = try FileDigest.slice(path, offset: offset, count: count)
            let digest = SHA256.hash(data: bytes)
            let checksum = Data(digest).base64EncodedString()
            guard checksum == checksums[number - 1] else {
              throw .localFileChanged(
                path: path, expectedSHA256: "part \(number) as first read", actualSHA256: Hex.string(digest))
            }
            let answer = try await client.send(
              S3Call(
                method: "PUT", key: full, query: [("partNumber", String(number)), ("uploadId", uploadID)],
                headers: [("x-amz-sdk-checksum-algorithm", "SHA256"), ("x-amz-checksum-sha256", checksum)], body: bytes,
                payloadHash: Hex.string(digest),
                action: "s3:PutObject"),
              url: url + " (part \(number))")
            guard let etag = answer.header("ETag") else {
              throw .unexpectedAnswer(url: url, reason: "UploadPart answered no ETag")
            }
            return .success(Part(number: number, etag: etag, checksum: checksum))
          } catch {
            return .failure(error)
          }
        }
      }
      for _ in 0..<concurrency { start() }
      while let outcome = await group.next() {
        switch outcome {
        case .success(let part): sent.append(part)
        case .failure(let error):
          // The first failure stops the others; a cancellation is not the cause when another error came first.
          if failure == nil || { if case .cancelled = failure! { return true } else { return false } }() {
            failure = error
          }
          group.cancelAll()
        }
        start()
      }
      return failure.map { .failure($0) } ?? .success(sent)
    }
    return try result.get()
  }

  /// An upload in progress, as ListMultipartUploads shows it.
  struct Upload: Sendable {
    var key: String
    var id: String
  }

  /// Uploads in progress whose keys start with `keyPrefix` (full keys), every page of them.
  func uploads(under keyPrefix: String) async throws(StorageError) -> [Upload] {
    var found: [Upload] = []
    var markers: (key: String, id: String)?
    repeat {
      var query = [(name: "uploads", value: ""), (name: "prefix", value: keyPrefix)]
      if let markers { query += [("key-marker", markers.key), ("upload-id-marker", markers.id)] }
      if let pageSize { query.append(("max-uploads", String(pageSize))) }
      let answer = try await client.send(
        S3Call(method: "GET", key: nil, query: query, action: "s3:ListBucketMultipartUploads", maxBytes: 1 << 24),
        url: "s3://\(bucket)/\(keyPrefix)")
      guard let result = S3XML.parse(answer.body), result.name == "ListMultipartUploadsResult" else {
        throw .unexpectedAnswer(url: "s3://\(bucket)/\(keyPrefix)", reason: "not a ListMultipartUploadsResult")
      }
      for upload in result.all("Upload") {
        if let key = upload.value("Key"), let id = upload.value("UploadId") { found.append(Upload(key: key, id: id)) }
      }
      markers = nil
      if result.value("IsTruncated") == "true", let key = result.value("NextKeyMarker"),
        let id = result.value("NextUploadIdMarker")
      {
        markers = (key, id)
      }
    } while markers != nil
    return found
  }

  /// The parts S3 holds for an upload, every page of them.
  private func listParts(key: String, uploadID: String) async throws(StorageError) -> [(
    number: Int, size: Int64, checksum: String?, part: Part
  )] {
    var found: [(number: Int, size: Int64, checksum: String?, part: Part)] = []
    var marker: String?
    repeat {
      var query = [(name: "uploadId", value: uploadID)]
      if let marker { query.append(("part-number-marker", marker)) }
      if let pageSize { query.append(("max-parts", String(pageSize))) }
      let answer = try await client.send(
        S3Call(method: "GET", key: key, query: query, action: "s3:ListMultipartUploadParts", accept: [200, 404]),
        url: "s3://\(bucket)/\(key)")
      // The upload was completed or aborted since it was listed.
      guard answer.status == 200 else { return [] }
      guard let result = S3XML.parse(answer.body), ["ListPartsResult", "ListPartsResponse"].contains(result.name) else {
        throw .unexpectedAnswer(url: "s3://\(bucket)/\(key)", reason: "not a ListPartsResult")
      }
      for part in result.all("Part") {
        guard let number = part.value("PartNumber").flatMap(Int.init),
          let size = part.value("Size").flatMap(Int64.init),
          let etag = part.value("ETag")
        else { continue }
        let checksum = part.value("ChecksumSHA256")
        found.append((number, size, checksum, Part(number: number, etag: etag, checksum: checksum ?? "")))
      }
      marker = result.value("IsTruncated") == "true" ? result.value("NextPartNumberMarker") : nil
    } while marker != nil
    return found
  }

  /// Aborts an upload (its parts stop costing storage); one already gone is fine.
  func abort(key: String, uploadID: String) async throws(StorageError) {
    _ = try await client.send(
      S3Call(
        method: "DELETE", key: key, query: [("uploadId", uploadID)], action: "s3:AbortMultipartUpload",
        accept: [200, 204, 404]),
      url: "s3://\(bucket)/\(key)")
  }

  package func removeIncompleteUploads() async throws(StorageError) -> Int {
    var aborted = 0
    for upload in try await uploads(under: prefix.isEmpty ? "" : prefix + "/")
    where !ownUploads.withLock({ $0.contains(upload.id) }) {
      try await abort(key: upload.key, uploadID: upload.id)
      aborted += 1
    }
    return aborted
  }
}
