import Foundation
import Testing

@testable import TreasuryStorage

/// What every `ObjectStore` does, run against a local folder and against moto's S3 server alike.
struct ObjectStoreContractTests {
  static let awkwardKeys = [
    "2026-03/summary.csv", "2026-03/a b.csv", "2026-03/Über café.csv", "2026-03/plus+sign.csv",
    "2026-03/tilde~100%.csv", "2026-03/日本語/ファイル.csv", "2026-03/quote'\"&=?#.csv",
  ]

  @Test(arguments: StoreKind.allCases)
  func putHeadListDownloadRoundTrip(_ kind: StoreKind) async throws {
    let fixture = try await StoreFixture(kind)
    var expected: [String: [UInt8]] = [:]
    for (index, key) in Self.awkwardKeys.enumerated() {
      let bytes = Array("object \(index) under \(key)\n".utf8) + [0, 255, 10]
      #expect(try await fixture.put(key, bytes) == .written, "\(key)")
      expected[key] = bytes
    }
    for (key, bytes) in expected {
      let head = try #require(try await fixture.store.head(key), "\(key)")
      #expect(head.key == key)
      #expect(head.size == Int64(bytes.count))
      #expect(head.sha256 == StoreFixture.sha256(bytes))
      #expect(try await fixture.stored(key) == bytes, "\(key)")
    }
    let listed = try await fixture.store.list(under: "")
    #expect(listed.map(\.key) == expected.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
    #expect(listed.map(\.size) == listed.map { Int64(expected[$0.key]!.count) })
    #expect(try await fixture.store.list(under: "2026-03/a").map(\.key) == ["2026-03/a b.csv"])
    #expect(try await fixture.store.list(under: "2026-04/").isEmpty)
    #expect(try await fixture.store.head("2026-03/missing.csv") == nil)
    if let server = fixture.server {
      // Two keys a page: the listing of seven followed three continuation tokens.
      let pages = try await server.requests().filter {
        $0.query.contains("continuation-token") && $0.query.contains(fixture.prefix)
      }
      #expect(pages.count == 3)
    }
  }

  @Test(arguments: StoreKind.allCases)
  func anEmptyObjectRoundTrips(_ kind: StoreKind) async throws {
    let fixture = try await StoreFixture(kind)
    #expect(try await fixture.put("2026-03/rejected.jsonl", []) == .written)
    #expect(
      try await fixture.store.head("2026-03/rejected.jsonl")
        == StoredObject(
          key: "2026-03/rejected.jsonl", size: 0, sha256: StoreFixture.sha256([])))
    #expect(try await fixture.stored("2026-03/rejected.jsonl") == [])
    #expect(try await fixture.put("2026-03/rejected.jsonl", []) == .unchanged)
  }

  @Test(arguments: StoreKind.allCases)
  func rerunWithTheSameBytesSendsNothing(_ kind: StoreKind) async throws {
    let fixture = try await StoreFixture(kind)
    let bytes = Array(repeating: UInt8(ascii: "x"), count: 10_000)
    #expect(try await fixture.put("2026-03/summary.csv", bytes) == .written)
    let before = try await fixture.writes()
    #expect(try await fixture.put("2026-03/summary.csv", bytes) == .unchanged)
    #expect(try await fixture.writes() == before, "a rerun wrote to storage")
    #expect(try await fixture.stored("2026-03/summary.csv") == bytes)
  }

  @Test(arguments: StoreKind.allCases)
  func differentBytesAreRefusedAndStorageIsUnchanged(_ kind: StoreKind) async throws {
    let fixture = try await StoreFixture(kind)
    let original = Array("balance 100.00\n".utf8)
    try await fixture.put("2026-03/summary.csv", original)
    let before = try await fixture.writes()
    var changed = original
    changed[9] = UInt8(ascii: "1")
    let local = fixture.file("changed.csv", changed)
    let error = await #expect(throws: StorageError.self) {
      try await fixture.store.put(
        "2026-03/summary.csv", file: local.path, size: local.size, sha256: local.sha256, options: PutOptions())
    }
    #expect(
      error
        == .objectExists(
          key: "2026-03/summary.csv", target: fixture.store.target.description,
          storedSHA256: StoreFixture.sha256(original), localSHA256: local.sha256))
    #expect(error?.exitStatus == 8)
    #expect(error?.message.contains(fixture.store.target.display("2026-03/summary.csv")) == true)
    #expect(try await fixture.stored("2026-03/summary.csv") == original)
    #expect(try await fixture.writes() == before, "a refused put wrote to storage")
  }

  @Test(arguments: StoreKind.allCases)
  func aFileThatChangedUnderTheRunIsNotStored(_ kind: StoreKind) async throws {
    let fixture = try await StoreFixture(kind)
    let local = fixture.file("summary.csv", Array("what the manifest says\n".utf8))
    _ = FileManager.default.createFile(atPath: local.path, contents: Data("what the file holds now\n".utf8))
    let error = await #expect(throws: StorageError.self) {
      try await fixture.store.put(
        "2026-03/summary.csv", file: local.path, size: local.size, sha256: local.sha256, options: PutOptions())
    }
    // A folder checks what it copied; S3 checks what arrived against x-amz-checksum-sha256 and refuses it.
    switch (kind, error) {
    case (.local, .localFileChanged?), (.s3, .badDigest?): break
    default: Issue.record("\(kind): \(String(describing: error))")
    }
    #expect(try await fixture.store.head("2026-03/summary.csv") == nil)
    #expect(try await fixture.store.list(under: "").isEmpty)
  }

  @Test(arguments: StoreKind.allCases)
  func invalidKeysAreRefusedBeforeAnythingIsWritten(_ kind: StoreKind) async throws {
    let fixture = try await StoreFixture(kind)
    for key in ["", "/abs.csv", "a//b.csv", "a/../b.csv", "./a.csv", "a/", "..", "a/.treasury-upload-x"] {
      await #expect(throws: StorageError.self, "\(key)") { try await fixture.put(key, [1, 2, 3]) }
    }
    #expect(try await fixture.store.list(under: "").isEmpty)
  }

  @Test(arguments: StoreKind.allCases)
  func downloadRefusesAnObjectOverTheLimitAndAMissingOne(_ kind: StoreKind) async throws {
    let fixture = try await StoreFixture(kind)
    try await fixture.put("big.bin", Array(repeating: 7, count: 4096))
    let tooLarge = await #expect(throws: StorageError.self) {
      try await fixture.store.download("big.bin", to: fixture.folder.file("big.bin"), maxBytes: 4095)
    }
    #expect(tooLarge?.exitStatus == 2)
    #expect(!FileManager.default.fileExists(atPath: fixture.folder.file("big.bin")), "a refused download left a file")
    let missing = await #expect(throws: StorageError.self) {
      try await fixture.store.download("none.bin", to: fixture.folder.file("none.bin"), maxBytes: 4096)
    }
    #expect(missing == .notFound(url: fixture.store.target.display("none.bin")))
  }

  @Test(arguments: StoreKind.allCases)
  func leftoversOfAnInterruptedRunAreRemoved(_ kind: StoreKind) async throws {
    let fixture = try await StoreFixture(kind)
    try await fixture.put("2026-03/summary.csv", Array("kept\n".utf8))
    try await fixture.leaveIncompleteUpload("2026-03/statement.tar.gz")
    try await fixture.leaveIncompleteUpload("2026-04/statement.tar.gz")
    #expect(try await fixture.incompleteUploads() == 2)
    #expect(try await fixture.store.list(under: "").map(\.key) == ["2026-03/summary.csv"], "leftovers are not objects")
    #expect(try await fixture.store.removeIncompleteUploads() == 2)
    #expect(try await fixture.incompleteUploads() == 0)
    #expect(try await fixture.store.removeIncompleteUploads() == 0)
    #expect(try await fixture.stored("2026-03/summary.csv") == Array("kept\n".utf8))
  }
}
