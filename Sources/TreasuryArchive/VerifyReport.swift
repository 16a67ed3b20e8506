@_spi(Inlining) import TreasuryModel

/// What `verify` found, for stderr and the exit code.
public struct VerifyReport: Sendable {
  /// One finding, at a file (`out/summary.csv`) or an archive member (`out/archive/2026-03.tar.gz(2026-03/summary.csv)`).
  public struct Finding: Sendable, Equatable {
    package enum Kind: Sendable, Hashable {
      /// Something does not match what was recorded (exit 2).
      case mismatch
      /// A path could not be read at all (exit 4).
      case unreadable
      /// Intact, but a statement does not reconcile, as its summary row records (exit 3).
      case unreconciled
      /// `verify URL`: storage could not be read in full, or a publication in it has no manifest yet (exit 5).
      case incomplete
    }

    package var kind: Kind
    package var location: String
    package var message: String

    public var line: String {
      "\(location): \(kind == .unreconciled ? "warning" : "error"): \(message)"
    }
  }

  /// Findings listed, at most `listLimit`; the rest are counted in `omitted`, so that a small archive of a
  /// million bad rows costs neither memory nor a million lines.
  public private(set) var findings: [Finding] = []
  /// Findings beyond `listLimit`, by kind (they count for the exit code and the summary).
  package private(set) var omitted: [Finding.Kind: Int] = [:]
  package static let listLimit = 1000
  package var paths: [String] = []
  /// Files and archive members whose size and SHA-256 were checked.
  package var files = 0
  package var statements = 0
  /// With one path: the SHA-256 of the archive, or of the folder's manifest.json.
  package var digest: String?

  package init() {}

  public var exitCode: Int32 {
    if count(.mismatch) > 0 { return ExitStatus.invalidInput }
    if count(.incomplete) > 0 { return ExitStatus.fetchIncomplete }
    if count(.unreadable) > 0 { return ExitStatus.ioError }
    if count(.unreconciled) > 0 { return ExitStatus.unreconciled }
    return ExitStatus.success
  }

  /// Findings of `kind`, listed or not.
  package func count(_ kind: Finding.Kind) -> Int {
    findings.count { $0.kind == kind } + omitted[kind, default: 0]
  }

  /// The one line a run ends with.
  public var summary: String {
    let named = paths.count == 1 ? paths[0] : "\(paths.count) paths"
    let what =
      "\(named) (\(files) file\(files == 1 ? "" : "s") and archive members, \(statements) statement\(statements == 1 ? "" : "s"))"
    let problems = count(.mismatch) + count(.unreadable) + count(.incomplete)
    let unreconciled = count(.unreconciled)
    let listed = omitted.isEmpty ? "" : "; the first \(Self.listLimit) are listed above"
    if problems > 0 {
      return "\(problems) problem\(problems == 1 ? "" : "s") found in \(what); not verified\(listed)"
    }
    let seal = digest.map { "; sha256 \($0)" } ?? ""
    if unreconciled > 0 {
      return
        "verified \(what): every file matches its manifest, but \(unreconciled) statement\(unreconciled == 1 ? " does" : "s do") not reconcile (as recorded)\(seal)\(listed)"
    }
    return "verified \(what): every file matches its manifest and every statement reconciles\(seal)"
  }

  package mutating func add(_ kind: Finding.Kind, _ location: String, _ message: String) {
    add(Finding(kind: kind, location: location, message: message))
  }

  mutating func add(_ finding: Finding) {
    if findings.count < Self.listLimit {
      findings.append(finding)
    } else {
      omitted[finding.kind, default: 0] += 1
    }
  }

  /// Takes in another report's findings (after this one's, up to the limit) and counts.
  package mutating func merge(_ other: VerifyReport) {
    mergeFindings(of: other)
    files += other.files
    statements += other.statements
  }

  mutating func mergeFindings(of other: VerifyReport) {
    for finding in other.findings { add(finding) }
    for (kind, n) in other.omitted { omitted[kind, default: 0] += n }
  }

  /// This report with every finding's location and message passed through `rename` (a temporary path becomes
  /// the stored object's URL).
  package func renamed(_ rename: (String) -> String) -> VerifyReport {
    var copy = self
    copy.findings = findings.map { Finding(kind: $0.kind, location: rename($0.location), message: rename($0.message)) }
    return copy
  }

  /// Drops every finding of `kind`, listed or counted.
  mutating func removeAll(_ kind: Finding.Kind) {
    findings.removeAll { $0.kind == kind }
    omitted[kind] = nil
  }
}
