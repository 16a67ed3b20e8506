import Crypto
import Foundation
import Testing

@_spi(Inlining) @testable import TreasuryModel
@testable import TreasuryStorage

/// `replace` and `delete`, the two writes `run` makes under its lock (the index, provisional files, the lock),
/// on both stores.
@Suite struct StoreReplaceDeleteTests {
  static func sha(_ text: String) -> String { Hex.string(SHA256.hash(data: Data(text.utf8))) }

  @Test(arguments: StoreKind.allCases)
  func replaceOverwritesAndDeleteRemoves(kind: StoreKind) async throws {
    let fixture = try await StoreFixture(kind)
    let store = fixture.store
    let one = fixture.folder.write("one.jsonl", "{\"a\":1}\n")
    let two = fixture.folder.write("two.jsonl", "{\"a\":1}\n{\"a\":2}\n")
    try await store.replace("index.jsonl", file: one, size: 8, sha256: Self.sha("{\"a\":1}\n"), options: PutOptions())
    #expect(try await store.head("index.jsonl")?.sha256 == Self.sha("{\"a\":1}\n"))
    try await store.replace(
      "index.jsonl", file: two, size: 16, sha256: Self.sha("{\"a\":1}\n{\"a\":2}\n"), options: PutOptions())
    let replaced = try await store.head("index.jsonl")
    #expect(replaced?.size == 16)
    #expect(replaced?.sha256 == Self.sha("{\"a\":1}\n{\"a\":2}\n"))
    // A put of other bytes is still refused after a replace: replace is the only way to change an object.
    await #expect(throws: StorageError.self) {
      try await store.put("index.jsonl", file: one, size: 8, sha256: Self.sha("{\"a\":1}\n"), options: PutOptions())
    }
    // A file that does not hash to the digest given is refused and changes nothing.
    await #expect(throws: StorageError.self) {
      try await store.replace("index.jsonl", file: one, size: 8, sha256: Self.sha("other"), options: PutOptions())
    }
    #expect(try await store.head("index.jsonl")?.size == 16)
    try await store.delete("index.jsonl")
    #expect(try await store.head("index.jsonl") == nil)
    // Deleting what is not there is not an error (a lock already released).
    try await store.delete("index.jsonl")
    #expect(try await store.list(under: "").isEmpty)
  }
}
