import Synchronization
import TreasuryLedger
@_spi(Inlining) import TreasuryModel

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Where each transaction and entry id was seen in the run, to find an id under two financial accounts wherever
/// its copies are: in one connected account or two, in one partition of a big input or two.
///
/// Ids are global Stripe object ids, so such an id would count its money in two statements; the deduplicating
/// stores see one unit (or one partition) at a time and cannot tell. Readers note a 16-byte sighting per copy
/// (the 64-bit hash of the id, a run-wide number of its financial account, the input file) in a file of their own
/// under `folder`. `suspects()` reads them back in passes over slices of the hash space, each pass keeping the first
/// account of at most about `passLimit` ids (16 bytes each, in a table at most half full), and returns the hashes
/// seen under two financial accounts, with the files holding their copies. A hash only narrows the search: `IdSplitCheck` reads those files again and compares the copies.
package final class IdIndex: Sendable {
  package typealias Kind = IdKind

  struct Sighting: Sendable {
    var hash: UInt64
    /// The financial account's run-wide number (`number(of:)`).
    var account: UInt32
    /// The input file's index shifted left once, with the kind in bit 0.
    var fileAndKind: UInt32

    var kind: UInt32 { fileAndKind & 1 }
    var file: Int32 { Int32(bitPattern: fileAndKind >> 1) }
  }

  /// A suspect: the hash of an id and which kind of object bears it.
  package struct Key: Hashable, Sendable {
    package init(hash: UInt64, kind: Kind) {
      self.hash = hash
      self.kind = kind
    }

    var hash: UInt64
    var kind: Kind
  }

  package struct Suspects: Sendable {
    package var keys: Set<Key> = []
    /// The input files (run indices) holding some copy of a suspect id.
    package var files: Set<Int32> = []
  }

  package let folder: String
  /// Ids held in memory per pass of `suspects()` (32 bytes each, the table being at most half full).
  let passLimit: Int
  private let state = Mutex(State())

  private struct State {
    var accounts: [String: UInt32] = [:]
    var recorders = 0
    var files: [String] = []
    var failure: SpillError?
  }

  package init(folder: String, passLimit: Int = 1 << 19) {
    self.folder = folder
    self.passLimit = max(1, passLimit)
  }

  /// A recorder for one worker, writing a file of its own.
  package func recorder() -> IdRecorder {
    let n = state.withLock { state in
      defer { state.recorders += 1 }
      return state.recorders
    }
    return IdRecorder(index: self, path: folder + "/ids-\(n).bin")
  }

  /// The run-wide number of a financial account id (the same in every worker).
  func number(of account: UnsafeRawBufferPointer) -> UInt32 {
    let name = String(decoding: account, as: UTF8.self)
    return state.withLock { state in
      if let n = state.accounts[name] { return n }
      let n = UInt32(state.accounts.count)
      state.accounts[name] = n
      return n
    }
  }

  func finished(file: String?, failure: SpillError?) {
    state.withLock { state in
      if let file { state.files.append(file) }
      state.failure = state.failure ?? failure
    }
  }

  /// The hashes seen under two financial accounts (or hash collisions between ids: callers compare exactly).
  ///
  /// Passes run on up to `jobs` threads, each with a table of at most `passLimit / jobs` ids.
  package func suspects(jobs: Int = 1) throws(SpillError) -> Suspects {
    let (files, failure) = state.withLock { ($0.files.sorted(), $0.failure) }
    if let failure { throw failure }
    var total = 0
    for file in files {
      var info = stat()
      guard stat(file, &info) == 0 else { throw .cannotRead(path: file, reason: String(cString: strerror(errno))) }
      total += Int(info.st_size) / MemoryLayout<Sighting>.stride
    }
    let threads = max(1, min(jobs, total / (1 << 16)))
    let perPass = max(1, passLimit / threads)
    let passes = max(threads, (total + perPass - 1) / perPass)
    let found = Mutex(Suspects())
    let capacity = min(total, perPass)
    try WorkQueue.forEach(passes, jobs: threads) { (p: Int) throws(SpillError) in
      var table = FirstAccounts(capacity: capacity)
      var keys: Set<Key> = []
      for file in files {
        try Self.scan(file) { sighting in
          guard passes == 1 || Int((sighting.hash >> 32) % UInt64(passes)) == p else { return }
          if let key = table.insert(sighting) { keys.insert(key) }
        }
      }
      found.withLock { $0.keys.formUnion(keys) }
    }
    var result = found.withLock { $0 }
    guard !result.keys.isEmpty else { return result }
    for file in files {
      try Self.scan(file) { sighting in
        if result.keys.contains(Key(hash: sighting.hash, kind: sighting.kind == 0 ? .transaction : .entry)) {
          result.files.insert(sighting.file)
        }
      }
    }
    return result
  }

  /// Removes the sighting files (they must not be committed with the output).
  package func remove() {
    let files = state.withLock { $0.files }
    for file in files { unlink(file) }
    rmdir(folder)
  }

  // MARK: Helpers

  private static func scan(_ path: String, _ body: (Sighting) -> Void) throws(SpillError) {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw .cannotRead(path: path, reason: String(cString: strerror(errno))) }
    defer { close(fd) }
    let size = MemoryLayout<Sighting>.stride
    var buffer = [UInt8](repeating: 0, count: 1 << 20)
    var filled = 0
    while true {
      let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, $0.count - filled) }
      if n < 0 {
        if errno == EINTR { continue }
        throw .cannotRead(path: path, reason: String(cString: strerror(errno)))
      }
      if n == 0 { break }
      filled += n
      let whole = filled / size * size
      buffer.withUnsafeBytes { bytes in
        for offset in stride(from: 0, to: whole, by: size) {
          body(bytes.loadUnaligned(fromByteOffset: offset, as: Sighting.self))
        }
      }
      if whole < filled { buffer.replaceSubrange(0..<(filled - whole), with: buffer[whole..<filled]) }
      filled -= whole
    }
    if filled != 0 { throw .corrupt }
  }
}

/// The first account each (hash, kind) was seen under: an open-addressing table, 16 bytes a slot, at most half full.
private struct FirstAccounts {
  private var hashes: [UInt64]
  /// Kind + 1 (0: an empty slot), and bit 31 once the key was reported.
  private var tags: [UInt32]
  private var accounts: [UInt32]
  private var mask: Int
  private var count = 0

  init(capacity: Int) {
    var size = 16
    while size < capacity * 2 { size <<= 1 }
    hashes = Array(repeating: 0, count: size)
    tags = Array(repeating: 0, count: size)
    accounts = Array(repeating: 0, count: size)
    mask = size - 1
  }

  mutating func removeAll() {
    guard count > 0 else { return }
    for i in tags.indices { tags[i] = 0 }
    count = 0
  }

  /// Adds a sighting; returns its key the first time it is seen under a second account.
  mutating func insert(_ s: IdIndex.Sighting) -> IdIndex.Key? {
    let tag = s.kind + 1
    var slot = Int(truncatingIfNeeded: s.hash) & mask
    while tags[slot] != 0 {
      if hashes[slot] == s.hash && tags[slot] & 0x7FFF_FFFF == tag {
        guard accounts[slot] != s.account, tags[slot] & 0x8000_0000 == 0 else { return nil }
        tags[slot] |= 0x8000_0000
        return IdIndex.Key(hash: s.hash, kind: s.kind == 0 ? .transaction : .entry)
      }
      slot = (slot + 1) & mask
    }
    hashes[slot] = s.hash
    tags[slot] = tag
    accounts[slot] = s.account
    count += 1
    if count * 2 > tags.count { grow() }
    return nil
  }

  private mutating func grow() {
    let old = (hashes, tags, accounts)
    let size = tags.count * 2
    hashes = Array(repeating: 0, count: size)
    tags = Array(repeating: 0, count: size)
    accounts = Array(repeating: 0, count: size)
    mask = size - 1
    for i in old.1.indices where old.1[i] != 0 {
      var slot = Int(truncatingIfNeeded: old.0[i]) & mask
      while tags[slot] != 0 { slot = (slot + 1) & mask }
      hashes[slot] = old.0[i]
      tags[slot] = old.1[i]
      accounts[slot] = old.2[i]
    }
  }
}
