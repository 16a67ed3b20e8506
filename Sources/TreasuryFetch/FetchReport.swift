@_spi(Inlining) import TreasuryModel

/// What a fetch run did, for stderr: errors first, then the summary.
public struct FetchReport: Sendable {
  public var exitCode: Int32 = ExitStatus.success
  public var errors: [String] = []
  public var summary: [String] = []

  public init() {}

  /// Keeps the most serious exit code (usage and invalid answers before I/O, I/O before incomplete).
  mutating func fail(_ error: FetchError) {
    errors.append(error.message)
    let order: [Int32] = [
      ExitStatus.usage, ExitStatus.invalidInput, ExitStatus.ioError, ExitStatus.fetchIncomplete,
    ]
    let current = order.firstIndex(of: exitCode) ?? order.count
    let new = order.firstIndex(of: error.exitCode) ?? order.count
    if exitCode == ExitStatus.success || new < current { exitCode = error.exitCode }
  }
}
