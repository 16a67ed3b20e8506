import Foundation

/// A place that keeps published objects and never replaces one: a local folder (`LocalStore`) or S3 (`S3Store`).
///
/// Keys are relative to the target (`2026-03/summary.csv`), `/`-separated, never starting with `/` and never
/// holding `.` or `..` segments. Both stores pass the same behavioural tests (Tests/…/Storage/ObjectStoreContract).
package protocol ObjectStore: Sendable {
  /// The URL or folder the keys are under, for messages.
  var target: StorageTarget { get }

  /// What is stored under `key`, or nil when nothing is.
  func head(_ key: String) async throws(StorageError) -> StoredObject?

  /// Every object whose key starts with `prefix` ("" for all), in key order.
  func list(under prefix: String) async throws(StorageError) -> [StoredObject]

  /// Writes the file at `path` (whose SHA-256 is `sha256`, lowercase hex, and size `size`) under `key`, unless
  /// the key exists: the same bytes there give `.unchanged`; other bytes throw `.objectExists` and change nothing.
  ///
  /// The store checks what arrives against `sha256` (S3: `x-amz-checksum-sha256`, refused by the service when it
  /// does not match), so a corrupted upload is never kept. A large file may go in parts; an interrupted upload of
  /// the same key is resumed or aborted by the next `put`, never left behind.
  func put(_ key: String, file path: String, size: Int64, sha256: String, options: PutOptions)
    async throws(StorageError) -> PutOutcome

  /// Copies the object under `key` into a new file at `path` (which must not exist), refusing one larger than
  /// `maxBytes`; returns its SHA-256 (lowercase hex) as computed over the bytes received.
  func download(_ key: String, to path: String, maxBytes: Int64) async throws(StorageError) -> String

  /// Removes what interrupted writes left behind under the target and returns how many it removed.
  ///
  /// S3: aborts every multipart upload under the target's prefix that this store did not start or resume (a
  /// `put` resumes the upload of its own key first, so call this after the puts). A folder: removes staging files
  /// (`.treasury-upload-*`) that no `put` of this store is writing.
  func removeIncompleteUploads() async throws(StorageError) -> Int

  /// Writes the file at `path` under `key` whether or not the key exists: only for the few objects a run keeps
  /// current under its lock (`run`'s `index.jsonl`, `provisional/` statements), never for published statements.
  ///
  /// S3 keeps the replaced bytes as an older version on a versioned bucket. Small objects only (one request).
  func replace(_ key: String, file path: String, size: Int64, sha256: String, options: PutOptions)
    async throws(StorageError)

  /// Removes the object under `key` (nothing when there is none): only `run`'s lock, released at its end.
  func delete(_ key: String) async throws(StorageError)
}
