import TreasuryArchive
import TreasuryModel

/// What `verify URL` found in storage, for stderr, stdout and the exit code.
///
/// Findings are `verify`'s own (`VerifyReport`), named by the stored objects' URLs
/// (`s3://b/p/2026-03/fa_…/transactions.csv`, `…/2026-03.tar.gz(2026-03/summary.csv)`): a mismatch is 2, as for a
/// folder; storage that cannot be read in full, or a publication without its manifest, is 5; a downloaded copy
/// this machine cannot read is 4.
public struct StorageVerifyReport: Sendable {
  public var location = ""
  /// Findings and counts of objects and statements checked, of every publication.
  package var checks = VerifyReport()
  /// Publications (stored manifests) checked.
  package var publications = 0
  /// With one publication: its stored manifest's URL and SHA-256.
  package var manifest: (url: String, sha256: String)?
  /// The exit code of a failure that stopped the run before anything was verified (no credentials: 1).
  package var exitOverride: Int32?

  package init() {}

  public var findings: [VerifyReport.Finding] { checks.findings }

  public var exitCode: Int32 { exitOverride ?? checks.exitCode }

  /// The one line a run ends with.
  public var summary: String {
    let (files, statements) = (checks.files, checks.statements)
    let what =
      "\(location) (\(publications) publication\(publications == 1 ? "" : "s"), \(files) object\(files == 1 ? "" : "s") and archive members, \(statements) statement\(statements == 1 ? "" : "s"))"
    let problems = checks.count(.mismatch) + checks.count(.incomplete) + checks.count(.unreadable)
    let listed = checks.omitted.isEmpty ? "" : "; the first \(VerifyReport.listLimit) are listed above"
    if problems > 0 { return "\(problems) problem\(problems == 1 ? "" : "s") found in \(what); not verified\(listed)" }
    let seal = manifest.map { "; \($0.url) sha256 \($0.sha256)" } ?? ""
    let unreconciled = checks.count(.unreconciled)
    if unreconciled > 0 {
      return
        "verified \(what): every object matches its manifest, but \(unreconciled) statement\(unreconciled == 1 ? " does" : "s do") not reconcile (as recorded)\(seal)"
    }
    return "verified \(what): every object matches its manifest and every statement reconciles\(seal)"
  }

  package mutating func add(_ kind: VerifyReport.Finding.Kind, _ location: String, _ message: String) {
    checks.add(kind, location, message)
  }
}
