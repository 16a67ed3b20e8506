/// A partition file that cannot be written or read back.
package enum SpillError: Error, Sendable, Equatable {
  case cannotWrite(path: String, reason: String)
  case cannotRead(path: String, reason: String)
  /// The file does not hold what this run wrote (disk trouble or tampering).
  case corrupt

  package var message: String {
    switch self {
    case .cannotWrite(let path, let reason):
      return
        "\(path): error: cannot write a temporary partition file: \(reason); check free space in the output folder's file system"
    case .cannotRead(let path, let reason):
      return "\(path): error: cannot read back a temporary partition file: \(reason)"
    case .corrupt:
      return "error: a temporary partition file did not read back as written; check the disk and run again"
    }
  }
}
