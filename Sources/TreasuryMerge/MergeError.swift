@_spi(Inlining) import TreasuryModel

/// Why shard folders cannot be merged, with the exit code the command ends with.
package enum MergeError: Error, Sendable, Equatable {
  /// The folders named do not make one sharded run (a shard missing or twice, different flags); exit 1.
  case mismatch(String)
  /// A shard folder does not verify or contradicts another (an account in two shards); exit 2.
  case invalidShard(String)
  /// A shard's file could not be read; exit 4.
  case unreadable(path: String, reason: String)
  /// The merged folder could not be written.
  case output(OutputError)

  package var exitCode: Int32 {
    switch self {
    case .mismatch: return ExitStatus.usage
    case .invalidShard: return ExitStatus.invalidInput
    case .unreadable: return ExitStatus.ioError
    case .output(let error): return error.isUsage ? ExitStatus.usage : ExitStatus.ioError
    }
  }

  package var message: String {
    switch self {
    case .mismatch(let message), .invalidShard(let message): return message
    case .unreadable(let path, let reason): return "\(path): error: cannot read: \(reason)"
    case .output(let error): return error.message
    }
  }
}
