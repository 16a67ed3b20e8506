import TreasuryModel

/// What `verify URL` found in storage, for stderr, stdout and the exit code.
public struct StorageVerifyReport: Sendable {
  /// One finding at a stored object (`s3://b/p/2026-03/fa_…/transactions.csv`), a member of a stored archive
  /// (`…/2026-03.tar.gz(2026-03/summary.csv)`) or the target.
  public struct Finding: Sendable, Equatable {
    package enum Kind: Sendable, Hashable {
      /// Something stored does not match its manifest, or is listed by none (exit 2, as `verify`).
      case mismatch
      /// Storage could not be read, or a publication has no manifest yet (exit 5: rerun).
      case incomplete
      /// A downloaded copy could not be read on this machine (exit 4).
      case localIO
      /// Intact, but a statement does not reconcile, as its summary row records (exit 3).
      case unreconciled
    }

    package var kind: Kind
    package var location: String
    package var message: String

    public var line: String { "\(location): \(kind == .unreconciled ? "warning" : "error"): \(message)" }
  }

  public var location = ""
  /// The first `listLimit` findings; `omitted` counts the rest.
  public private(set) var findings: [Finding] = []
  package private(set) var omitted = 0
  package static let listLimit = 1000
  /// Publications (stored manifests) checked, objects and archive members checked, statements recomputed.
  package var publications = 0
  package var files = 0
  package var statements = 0
  /// With one publication: its stored manifest's key and SHA-256.
  package var manifest: (key: String, sha256: String)?
  /// The exit code of a failure that stopped the run before anything was verified (no credentials: 1).
  package var exitOverride: Int32?
  private var counts: [Finding.Kind: Int] = [:]

  package init() {}

  package func count(_ kind: Finding.Kind) -> Int { counts[kind, default: 0] }

  public var exitCode: Int32 {
    if let exitOverride { return exitOverride }
    if count(.mismatch) > 0 { return ExitStatus.invalidInput }
    if count(.incomplete) > 0 { return ExitStatus.fetchIncomplete }
    if count(.localIO) > 0 { return ExitStatus.ioError }
    if count(.unreconciled) > 0 { return ExitStatus.unreconciled }
    return ExitStatus.success
  }

  /// The one line a run ends with.
  public var summary: String {
    let what =
      "\(location) (\(publications) publication\(publications == 1 ? "" : "s"), \(files) object\(files == 1 ? "" : "s") and archive members, \(statements) statement\(statements == 1 ? "" : "s"))"
    let problems = count(.mismatch) + count(.incomplete) + count(.localIO)
    let listed = omitted == 0 ? "" : "; the first \(Self.listLimit) are listed above"
    if problems > 0 { return "\(problems) problem\(problems == 1 ? "" : "s") found in \(what); not verified\(listed)" }
    let seal = manifest.map { "; \($0.key) sha256 \($0.sha256)" } ?? ""
    let unreconciled = count(.unreconciled)
    if unreconciled > 0 {
      return
        "verified \(what): every object matches its manifest, but \(unreconciled) statement\(unreconciled == 1 ? " does" : "s do") not reconcile (as recorded)\(seal)\(listed)"
    }
    return "verified \(what): every object matches its manifest and every statement reconciles\(seal)"
  }

  package mutating func add(_ kind: Finding.Kind, _ location: String, _ message: String) {
    counts[kind, default: 0] += 1
    if findings.count < Self.listLimit {
      findings.append(Finding(kind: kind, location: location, message: message))
    } else {
      omitted += 1
    }
  }

  /// Counts `n` findings of `kind` that were not listed (beyond the local verifier's own limit).
  package mutating func addUnlisted(_ kind: Finding.Kind, _ n: Int) {
    counts[kind, default: 0] += n
    omitted += n
  }
}
