import TreasuryModel
import TreasuryStorage

/// Why a `run` stopped; every message names the file or object and what to do.
enum RunError: Error, Sendable {
  case config(ConfigError)
  /// Another run holds the lock (`lock.json` in the target).
  case lockHeld(url: String, holder: String, since: String, advice: String)
  case storage(StorageError)
  /// The statements job failed (its messages and exit code).
  case statements(messages: [String], exitStatus: Int32)
  case io(path: String, reason: String)
  case usage(String)
  /// A sharded run's shards in the target are missing or do not fit this run (exit 5: run the shards; 1: config).
  case shards(url: String, reason: String, exitStatus: Int32)

  var messages: [String] {
    switch self {
    case .config(let error): return [error.message]
    case .lockHeld(let url, let holder, let since, let advice):
      return ["\(url): error: another run holds the lock: \(holder), since \(since); nothing was done: \(advice)"]
    case .storage(let error): return [error.message]
    case .statements(let messages, _): return messages
    case .io(let path, let reason): return ["\(path): error: \(reason)"]
    case .usage(let message): return ["treasury-report: error: " + message]
    case .shards(let url, let reason, _): return ["\(url): error: \(reason)"]
    }
  }

  var exitStatus: Int32 {
    switch self {
    case .config(let error): return error.exitStatus
    case .lockHeld: return ExitStatus.lockHeld
    case .storage(let error): return error.exitStatus
    case .statements(_, let status): return status
    case .io: return ExitStatus.ioError
    case .usage: return ExitStatus.usage
    case .shards(_, _, let status): return status
    }
  }
}
