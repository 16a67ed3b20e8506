import Foundation
import Synchronization
import TreasuryInput

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An `ObjectStore` in a folder on this machine: the default target, and what tests and demos publish to.
///
/// A new object is written to a staging file beside its final name (`.treasury-upload-<uuid>`), checked against
/// the SHA-256 it was given, made read-only and flushed to disk, then `link(2)`ed to its name, which fails when the
/// name exists: an object is never replaced, even by a writer racing this one, and never seen half-written. Folders
/// are made as needed. Retention and encryption do not apply to a folder and are ignored.
package struct LocalStore: ObjectStore {
  /// Names of files being written start with this; `list` skips them and `removeIncompleteUploads` removes them.
  package static let stagingPrefix = ".treasury-upload-"

  package let root: String
  /// Staging files this store is writing now, which `removeIncompleteUploads` leaves alone.
  private let writing = StagingFiles()

  package init(root: String) { self.root = root }

  package var target: StorageTarget { .local(path: root) }

  private func path(_ key: String) -> String { root.hasSuffix("/") ? root + key : root + "/" + key }

  package func head(_ key: String) async throws(StorageError) -> StoredObject? {
    try StorageKey.validate(key, in: target)
    let path = path(key)
    guard let size = try regularFileSize(path) else { return nil }
    let digest = try FileDigest.of(path)
    return StoredObject(key: key, size: size, sha256: digest.sha256)
  }

  package func list(under prefix: String) async throws(StorageError) -> [StoredObject] {
    try StorageKey.validate(prefix: prefix, in: target)
    // Start in the deepest folder the prefix names, not at the root.
    let folder = prefix.contains("/") ? String(prefix[..<prefix.lastIndex(of: "/")!]) : ""
    var found: [StoredObject] = []
    try walk(folder) { entry in
      if case .file(let key, let size) = entry, key.hasPrefix(prefix) {
        found.append(StoredObject(key: key, size: size))
      }
    }
    return found.sorted { StorageKey.precedes($0.key, $1.key) }
  }

  package func put(_ key: String, file source: String, size: Int64, sha256: String, options: PutOptions)
    async throws(StorageError) -> PutOutcome
  {
    try StorageKey.validate(key, in: target)
    let destination = path(key)
    if let outcome = try compare(key, at: destination, sha256: sha256) { return outcome }
    let folder = String(destination[..<destination.lastIndex(of: "/")!])
    do {
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    } catch {
      throw .io(path: folder, reason: "cannot create the folder: \(error.localizedDescription)")
    }
    let staging = folder + "/" + Self.stagingPrefix + UUID().uuidString
    writing.insert(staging)
    defer {
      unlink(staging)
      writing.remove(staging)
    }
    let descriptor = open(staging, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else { throw .io(path: staging, reason: "cannot create: \(Self.errnoText)") }
    var closed = false
    defer { if !closed { close(descriptor) } }
    let copied = try FileDigest.copy(from: source, to: descriptor, toPath: staging, maxBytes: size)
    guard !copied.overLimit, copied.size == size, copied.sha256 == sha256 else {
      let read = copied.overLimit ? "more than \(size) bytes" : copied.sha256
      throw .localFileChanged(path: source, expectedSHA256: sha256, actualSHA256: read)
    }
    // Read-only: a published statement is not edited in place by accident.
    guard fchmod(descriptor, 0o444) == 0, fsync(descriptor) == 0 else {
      throw .io(path: staging, reason: "cannot write: \(Self.errnoText)")
    }
    closed = true
    guard close(descriptor) == 0 else { throw .io(path: staging, reason: "cannot write: \(Self.errnoText)") }
    if link(staging, destination) != 0 {
      let code = errno
      // Someone wrote the name since the look above: theirs stays, and decides the outcome.
      if code == EEXIST, let outcome = try compare(key, at: destination, sha256: sha256) { return outcome }
      throw .io(path: destination, reason: "cannot create: \(String(cString: strerror(code)))")
    }
    syncFolder(folder)
    return .written
  }

  package func download(_ key: String, to path: String, maxBytes: Int64) async throws(StorageError) -> String {
    try StorageKey.validate(key, in: target)
    let source = self.path(key)
    guard let size = try regularFileSize(source) else { throw .notFound(url: target.display(key)) }
    guard size <= maxBytes else { throw .tooLarge(url: target.display(key), size: size, maxBytes: maxBytes) }
    let file = try NewFile(path)
    let copied = try FileDigest.copy(from: source, to: file.descriptor, toPath: path, maxBytes: maxBytes)
    guard !copied.overLimit else {
      throw .tooLarge(url: target.display(key), size: copied.size, maxBytes: maxBytes)
    }
    file.keep()
    return copied.sha256
  }

  package func replace(_ key: String, file source: String, size: Int64, sha256: String, options: PutOptions)
    async throws(StorageError)
  {
    try StorageKey.validate(key, in: target)
    let destination = path(key)
    let folder = String(destination[..<destination.lastIndex(of: "/")!])
    let staging = folder + "/" + Self.stagingPrefix + UUID().uuidString
    writing.insert(staging)
    defer {
      unlink(staging)
      writing.remove(staging)
    }
    do {
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    } catch {
      throw .io(path: folder, reason: "cannot create the folder: \(error.localizedDescription)")
    }
    let descriptor = open(staging, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { throw .io(path: staging, reason: "cannot create: \(Self.errnoText)") }
    defer { close(descriptor) }
    let copied = try FileDigest.copy(from: source, to: descriptor, toPath: staging, maxBytes: size)
    guard !copied.overLimit, copied.size == size, copied.sha256 == sha256 else {
      throw .localFileChanged(path: source, expectedSHA256: sha256, actualSHA256: copied.sha256)
    }
    guard fsync(descriptor) == 0 else { throw .io(path: staging, reason: "cannot write: \(Self.errnoText)") }
    // rename(2) replaces the name in one step: a reader sees the old bytes or the new, never half.
    guard rename(staging, destination) == 0 else {
      throw .io(path: destination, reason: "cannot replace: \(Self.errnoText)")
    }
    syncFolder(folder)
  }

  package func delete(_ key: String) async throws(StorageError) {
    try StorageKey.validate(key, in: target)
    let path = path(key)
    guard unlink(path) == 0 || errno == ENOENT else {
      throw .io(path: path, reason: "cannot remove: \(Self.errnoText)")
    }
  }

  package func removeIncompleteUploads() async throws(StorageError) -> Int {
    var removed = 0
    try walk("") { entry in
      if case .staging(let path) = entry, !writing.contains(path), unlink(path) == 0 { removed += 1 }
    }
    return removed
  }

  /// `.unchanged` when `path` holds `sha256`, nil when nothing is there; throws `.objectExists` for other bytes.
  private func compare(_ key: String, at path: String, sha256: String) throws(StorageError) -> PutOutcome? {
    guard try regularFileSize(path) != nil else {
      var info = stat()
      if lstat(path, &info) == 0 { throw .io(path: path, reason: "exists and is not a regular file") }
      return nil
    }
    let stored = try FileDigest.of(path).sha256
    guard stored == sha256 else {
      throw .objectExists(key: key, target: target.description, storedSHA256: stored, localSHA256: sha256)
    }
    return .unchanged
  }

  /// The size of the regular file at `path`, nil when there is none (missing, or a folder or link there).
  private func regularFileSize(_ path: String) throws(StorageError) -> Int64? {
    var info = stat()
    guard lstat(path, &info) == 0 else {
      if errno == ENOENT || errno == ENOTDIR { return nil }
      throw .io(path: path, reason: Self.errnoText)
    }
    return (info.st_mode & S_IFMT) == S_IFREG ? Int64(info.st_size) : nil
  }

  /// What `walk` finds in a folder.
  private enum Entry {
    case file(key: String, size: Int64)
    case staging(path: String)
  }

  /// Calls `visit` with every regular file and staging file under the folder `relative` (a key prefix ending
  /// before a `/`, or "" for the root); links are not followed.
  private func walk(_ relative: String, _ visit: (Entry) -> Void) throws(StorageError) {
    let folder = relative.isEmpty ? root : path(relative)
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: folder)
    } catch {
      var info = stat()
      if lstat(folder, &info) != 0 || (info.st_mode & S_IFMT) != S_IFDIR { return }
      throw .io(path: folder, reason: "cannot list the folder: \(error.localizedDescription)")
    }
    for name in names {
      let key = relative.isEmpty ? name : relative + "/" + name
      let full = path(key)
      if name.hasPrefix(Self.stagingPrefix) {
        visit(.staging(path: full))
        continue
      }
      var info = stat()
      guard lstat(full, &info) == 0 else { continue }
      switch info.st_mode & S_IFMT {
      case S_IFDIR: try walk(key, visit)
      case S_IFREG: visit(.file(key: key, size: Int64(info.st_size)))
      default: continue
      }
    }
  }

  /// Flushes a folder's entries, so a new name survives a crash once `put` returns.
  private func syncFolder(_ folder: String) {
    let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard descriptor >= 0 else { return }
    fsync(descriptor)
    close(descriptor)
  }

  private static var errnoText: String { String(cString: strerror(errno)) }
}

/// The staging files a `LocalStore` is writing now.
private final class StagingFiles: Sendable {
  private let paths = Mutex<Set<String>>([])

  func insert(_ path: String) { _ = paths.withLock { $0.insert(path) } }
  func remove(_ path: String) { _ = paths.withLock { $0.remove(path) } }
  func contains(_ path: String) -> Bool { paths.withLock { $0.contains(path) } }
}
