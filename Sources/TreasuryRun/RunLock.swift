import Crypto
import Foundation
@_spi(Inlining) import TreasuryModel
import TreasuryStorage

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `lock.json` at the target's root: taken by a conditional create, so two runs cannot both hold it.
///
/// A lock whose holder ran on this host and whose process is gone is broken at once (and said); one older than
/// `lock_max_age` may be broken with `--break-lock`; any other refuses the run (exit 7) naming the holder.
struct RunLock: Codable, Sendable {
  static let key = "lock.json"

  var run: String
  var host: String
  var pid: Int32
  /// ISO 8601, UTC.
  var since: String

  /// Takes the lock or throws `.lockHeld`; returns what was said about a broken lock.
  static func take(
    _ store: any ObjectStore, run: String, now: Date, maxAge: Int64, breakLock: Bool, scratch: String
  ) async throws(RunError) -> [String] {
    let mine = RunLock(run: run, host: Self.hostName, pid: getpid(), since: Self.text(now))
    let path = scratch + "/lock.json"
    let data = (try? JSONEncoder().encode(mine)) ?? Data()
    guard FileManager.default.createFile(atPath: path, contents: data) else {
      throw .io(path: path, reason: "cannot write the lock file to send")
    }
    let sha = Hex.string(SHA256.hash(data: data))
    var notes: [String] = []
    for attempt in 0..<2 {
      do throws(StorageError) {
        _ = try await store.put(
          key, file: path, size: Int64(data.count), sha256: sha, options: PutOptions(contentType: "application/json"))
        return notes
      } catch {
        guard case .objectExists = error, attempt == 0 else { throw .storage(error) }
      }
      let held = try await read(store, scratch: scratch)
      let url = store.target.display(key)
      let holder = "run \(held.run) (host \(held.host), pid \(held.pid))"
      let age = held.sinceDate.map { Int64(now.timeIntervalSince($0)) } ?? Int64.max
      if held.host == Self.hostName && kill(held.pid, 0) != 0 && errno == ESRCH {
        notes.append("\(url): broke the lock of \(holder), since \(held.since): that process is gone")
      } else if breakLock && age >= maxAge {
        notes.append("\(url): broke the lock of \(holder), since \(held.since) (--break-lock, older than lock_max_age)")
      } else {
        let advice =
          age >= maxAge
          ? "it is older than lock_max_age; if that run is dead, rerun with --break-lock"
          : "wait for it to finish (a lock may be broken with --break-lock once older than lock_max_age, \(RunConfig.duration(maxAge)))"
        throw .lockHeld(url: url, holder: holder, since: held.since, advice: advice)
      }
      do throws(StorageError) { try await store.delete(key) } catch { throw .storage(error) }
    }
    return notes
  }

  static func release(_ store: any ObjectStore) async throws(RunError) {
    do throws(StorageError) { try await store.delete(key) } catch { throw .storage(error) }
  }

  private static func read(_ store: any ObjectStore, scratch: String) async throws(RunError) -> RunLock {
    let path = scratch + "/lock-held-\(UUID().uuidString).json"
    defer { unlink(path) }
    do throws(StorageError) {
      _ = try await store.download(key, to: path, maxBytes: 1 << 16)
    } catch {
      if case .notFound = error { return RunLock(run: "?", host: "?", pid: 0, since: "unknown") }
      throw .storage(error)
    }
    guard let data = FileManager.default.contents(atPath: path),
      let lock = try? JSONDecoder().decode(RunLock.self, from: data)
    else { return RunLock(run: "unreadable lock.json", host: "?", pid: 0, since: "unknown") }
    return lock
  }

  var sinceDate: Date? {
    let formatter = ISO8601DateFormatter()
    return formatter.date(from: since)
  }

  static func text(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    return formatter.string(from: date)
  }

  static var hostName: String { ProcessInfo.processInfo.hostName }
}
