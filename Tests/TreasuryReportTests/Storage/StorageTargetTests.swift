import Testing

@testable import TreasuryStorage

/// What `--to` and `verify URL` accept as storage, and what they refuse before anything is read or sent.
struct StorageTargetTests {
  @Test(arguments: [
    ("s3://statements", StorageTarget.s3(bucket: "statements", prefix: "")),
    ("s3://statements/", .s3(bucket: "statements", prefix: "")),
    ("s3://acme.statements/treasury//2026/", .s3(bucket: "acme.statements", prefix: "treasury/2026")),
    ("file:///srv/statements", .local(path: "/srv/statements")),
    ("file:///srv/my%20statements", .local(path: "/srv/my statements")),
    ("out/statements", .local(path: "out/statements")),
  ])
  func accepted(text: String, target: StorageTarget) throws {
    #expect(try StorageTarget(parsing: text) == target)
  }

  @Test(arguments: [
    "", "s4://statements", "https://bucket.s3.amazonaws.com/x", "file://relative/path", "s3://ab", "s3://Upper",
    "s3://-dash", "s3://dot.", "s3://under_score",
  ])
  func refused(text: String) {
    let error = #expect(throws: StorageError.self) { try StorageTarget(parsing: text) }
    #expect(error?.exitStatus == 1)
  }

  @Test func objectsAreShownAsFullURLs() {
    #expect(StorageTarget.s3(bucket: "b-1", prefix: "p").display("2026-03/a.csv") == "s3://b-1/p/2026-03/a.csv")
    #expect(StorageTarget.s3(bucket: "b-1", prefix: "").display("a.csv") == "s3://b-1/a.csv")
    #expect(StorageTarget.local(path: "/srv/").display("a.csv") == "/srv/a.csv")
  }
}
