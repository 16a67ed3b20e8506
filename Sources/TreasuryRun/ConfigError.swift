import TreasuryModel

/// Why a config file cannot be used: every message names the file, the line and the key path.
public struct ConfigError: Error, Sendable, Equatable {
  public var file: String
  /// 1-based; nil when the file could not be read at all.
  public var line: Int?
  /// `storage.retain_years`, or empty for the whole document.
  public var keyPath: String
  public var problem: String

  public init(file: String, line: Int?, keyPath: String, problem: String) {
    self.file = file
    self.line = line
    self.keyPath = keyPath
    self.problem = problem
  }

  /// `FILE:LINE: error: KEY.PATH: PROBLEM`.
  public var message: String {
    let place = line.map { "\(file):\($0)" } ?? file
    return "\(place): error: " + (keyPath.isEmpty ? "" : keyPath + ": ") + problem
  }

  /// A config file that cannot be used is a usage error: nothing was read or written.
  public var exitStatus: Int32 { ExitStatus.usage }
}
