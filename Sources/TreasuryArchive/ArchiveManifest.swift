import Foundation
import TreasuryLedger
@_spi(Inlining) import TreasuryModel
import TreasuryOutput
import TreasuryRender

/// The `manifest.json` inside a period archive: every other member with its size, SHA-256 and rows, and each
/// statement's control totals.
///
/// It is the archive's last member, so that it describes the exact bytes
/// streamed before it. It depends only on the period's statements and the
/// tool's version, never on inputs outside the period or the wall clock, so
/// re-running the job on more data leaves a closed period's archive
/// byte-identical. Money is text in major units, as in the CSV files.
package struct ArchiveManifest: Codable, Sendable {
  /// Names what this file is, for someone who finds it in five years.
  package static let kind = "treasury-report period archive"

  package var tool = Manifest.toolName
  package var kind = ArchiveManifest.kind
  package var version: String
  package var period: ArchivePeriod
  /// Every member but this manifest, sorted by path.
  package var members: [OutputFile]
  package var statements: [StatementControl]

  package init(version: String, period: ArchivePeriod, members: [OutputFile], statements: [StatementControl]) {
    self.version = version
    self.period = period
    self.members = members
    self.statements = statements
  }

  package func encoded() throws -> [UInt8] { try canonicalJSON() }
}
