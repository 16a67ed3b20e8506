import TreasuryArchive
import TreasuryInput
import TreasuryJob
import TreasuryLedger
@_spi(Inlining) import TreasuryModel
import TreasuryOutput

/// The merged folder's `manifest.json`: the fields one unsharded run writes, combined from the shards' manifests.
///
/// Inputs return to the unsharded order by the positions each shard recorded
/// (`shard_inputs`); counts add up (each object was read by one shard only);
/// unreconciled statements follow statement order; the first failed checks
/// are those of the first connected accounts, as the unsharded run lists
/// them. The shard-only fields are left out.
struct MergedManifest {
  let shards: [ShardFolder]
  let tables: MergedTables

  init(_ shards: [ShardFolder], tables: MergedTables) {
    self.shards = shards
    self.tables = tables
  }

  func manifest(outputs: [OutputFile]) -> Manifest {
    var inputs: [(Int, InputFileStats)] = []
    var objects = ObjectCounts()
    var rejected = 0
    var statements = 0
    var unreconciled: [UnreconciledStatement] = []
    var checkFailures = 0
    var checks: [CheckFailure] = []
    for shard in shards {
      let m = shard.manifest
      inputs += zip(shard.inputPositions, m.inputs).map { ($0, $1) }
      objects.add(m.objects)
      rejected += m.rejectedLines
      statements += m.statements
      unreconciled += m.unreconciled
      checkFailures += m.checkFailures
      checks += m.checks
    }
    inputs.sort { $0.0 < $1.0 }
    let far = Int64.max
    unreconciled.sort { a, b in
      let (x, y) = (tables.periodTimes[a.period] ?? (far, far), tables.periodTimes[b.period] ?? (far, far))
      return (x.start, x.end, a.financialAccount, a.currency) < (y.start, y.end, b.financialAccount, b.currency)
    }
    // The unsharded run lists checks unit by unit (connected accounts in order); within a shard they already are.
    let ranked = checks.enumerated().sorted { a, b in
      let (x, y) = (tables.owners[a.element.financialAccount] ?? "", tables.owners[b.element.financialAccount] ?? "")
      return x != y ? x < y : a.offset < b.offset
    }
    let first = shards[0].manifest
    return Manifest(
      version: first.version, options: first.options, inputs: inputs.map(\.1), skippedInputs: first.skippedInputs,
      objects: objects, rejectedLines: rejected, statements: statements, unreconciled: unreconciled,
      checkFailures: checkFailures, checks: Array(ranked.map(\.element).prefix(RunReport.listLimit)), outputs: outputs)
  }
}
