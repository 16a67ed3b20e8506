/// What `verify` found, for stderr and the exit code.
public struct VerifyReport: Sendable {
  /// One finding, at a file (`out/summary.csv`) or an archive member (`out/archive/2026-03.tar.gz(2026-03/summary.csv)`).
  public struct Finding: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
      /// Something does not match what was recorded (exit 2).
      case mismatch
      /// A path could not be read at all (exit 4).
      case unreadable
      /// Intact, but a statement does not reconcile, as its summary row records (exit 3).
      case unreconciled
    }

    public var kind: Kind
    public var location: String
    public var message: String

    public var line: String {
      "\(location): \(kind == .unreconciled ? "warning" : "error"): \(message)"
    }
  }

  public var findings: [Finding] = []
  public var paths: [String] = []
  /// Files and archive members whose size and SHA-256 were checked.
  public var files = 0
  public var statements = 0
  /// With one path: the SHA-256 of the archive, or of the folder's manifest.json.
  public var digest: String?

  public init() {}

  public var exitCode: Int32 {
    if findings.contains(where: { $0.kind == .mismatch }) { return ExitStatus.invalidInput }
    if findings.contains(where: { $0.kind == .unreadable }) { return ExitStatus.ioError }
    if findings.contains(where: { $0.kind == .unreconciled }) { return ExitStatus.unreconciled }
    return ExitStatus.success
  }

  /// The one line a run ends with.
  public var summary: String {
    let named = paths.count == 1 ? paths[0] : "\(paths.count) paths"
    let what =
      "\(named) (\(files) file\(files == 1 ? "" : "s") and archive members, \(statements) statement\(statements == 1 ? "" : "s"))"
    let problems = findings.filter { $0.kind != .unreconciled }.count
    let unreconciled = findings.count - problems
    if problems > 0 {
      return "\(problems) problem\(problems == 1 ? "" : "s") found in \(what); not verified"
    }
    let seal = digest.map { "; sha256 \($0)" } ?? ""
    if unreconciled > 0 {
      return
        "verified \(what): every file matches its manifest, but \(unreconciled) statement\(unreconciled == 1 ? " does" : "s do") not reconcile (as recorded)\(seal)"
    }
    return "verified \(what): every file matches its manifest and every statement reconciles\(seal)"
  }

  mutating func add(_ kind: Finding.Kind, _ location: String, _ message: String) {
    findings.append(Finding(kind: kind, location: location, message: message))
  }

  mutating func merge(_ other: VerifyReport) {
    findings += other.findings
    files += other.files
    statements += other.statements
  }
}
