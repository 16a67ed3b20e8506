import TreasuryInput
@_spi(Inlining) import TreasuryModel

/// `statements --shard K/N`: which inputs one shard reads, and what a shard's output may not depend on.
///
/// A file's connected account is decided by its path alone (`InputCatalog`:
/// the nearest `acct_…` folder, else `--account`, else the platform), and
/// every object in a file is filed under that account. So a shard keeps the
/// files of the accounts it owns (`Shard.owns`) and never opens the others;
/// files under no `acct_…` folder (a fetch's `platform/` folder, a mixed
/// export) belong to the platform and so to shard 0. The one thing such a file
/// gives other accounts is connected account names (`account` objects, for
/// `accounts.csv`): each shard records the names it read in its manifest and
/// `merge` fills them in from all shards.
///
/// Statements must not depend on accounts the shard does not read, so a
/// sharded run (N > 1) needs fixed periods (`--period`, `--from` with `--to`,
/// or `--interval range`): periods taken from the data would end at the last
/// activity of the shard's accounts, not of all. Outputs dated by the data
/// (camt.053, OFX, BAI2, HTML) need `--as-of` for the same reason. Checks
/// that need every account (no Treasury object at all, `--only fa_…`) are
/// `merge`'s or refused.
struct ShardScope {
  let shard: Shard

  /// Refuses options whose output would depend on other shards' accounts.
  func check(_ options: StatementsOptions, plan: PeriodPlan, filter: AccountFilter) throws(JobError) {
    guard !shard.isWhole else { return }
    if plan.isDataDriven {
      throw .usage(
        "--shard \(shard) needs fixed periods (--period, or --from with --to): periods taken from the data would end at the last activity of this shard's accounts, not of all"
      )
    }
    if options.usesAsOf && options.asOf == nil {
      throw .usage(
        "--shard \(shard) with camt.053, OFX, BAI2 or HTML needs --as-of: the default, the latest activity in the input, differs between shards"
      )
    }
    if !filter.financialAccounts.isEmpty {
      throw .usage(
        "--shard \(shard) cannot be combined with --only fa_…: a shard cannot tell whether another shard holds that financial account; use --only acct_… or no --only"
      )
    }
  }

  /// `catalog` without the files of accounts other shards own, and the kept files' positions in `catalog`.
  func narrowed(_ catalog: InputCatalog) -> (catalog: InputCatalog, positions: [Int]?) {
    guard !shard.isWhole else { return (catalog, nil) }
    let positions = catalog.files.indices.filter { shard.owns(catalog.files[$0].account) }
    var narrowed = catalog
    narrowed.files = positions.map { catalog.files[$0] }
    return (narrowed, positions)
  }
}
