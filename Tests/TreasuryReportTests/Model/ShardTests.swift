import Testing

@testable import TreasuryModel

/// The documented account split: FNV-1a 64 of the id modulo N, the platform on shard 0.
@Suite struct ShardTests {
  /// Published FNV-1a 64 test vectors (the reference implementation's), so the documentation's formula is what runs.
  @Test func hashIsFNV1a64() {
    #expect(Shard.fnv1a64("") == 0xcbf2_9ce4_8422_2325)
    #expect(Shard.fnv1a64("a") == 0xaf63_dc4c_8601_ec8c)
    #expect(Shard.fnv1a64("foobar") == 0x8594_4171_f739_67e8)
  }

  /// Fixed answers another tool can check its implementation against (README "Sharding").
  @Test func knownAccountsLandOnKnownShards() {
    #expect(Shard.index(of: "acct_1", count: 7) == 1)
    #expect(Shard.index(of: "", count: 7) == 0)
    #expect(Shard.index(of: "acct_1", count: 1) == 0)
    let shards = (0..<1000).map { Shard.index(of: "acct_\($0)", count: 4) }
    for k in 0..<4 { #expect(shards.filter { $0 == k }.count > 200) }
  }

  /// Exactly one shard of N owns each account.
  @Test func everyAccountHasOneOwner() {
    for n in [1, 2, 3, 7] {
      for account in ["", "acct_1A", "acct_zz9", "acct_1NXWPnCo8x5ZnUvk"] {
        let owners = (0..<n).filter { Shard(index: $0, count: n)!.owns(account) }
        #expect(owners.count == 1, "\(account) of \(n)")
      }
    }
  }

  /// `K/N` parsing: the form and the range, nothing else.
  @Test func parsesOnlyKOverN() {
    #expect(Shard("0/1") == .whole)
    #expect(Shard("3/7")?.index == 3)
    #expect(Shard("3/7")?.description == "3/7")
    for bad in ["", "1", "7/7", "-1/2", "1/0", "1/2/3", "a/2", "1/", "/2", " 1/2", "0/65537", "0/99999999999"] {
      #expect(Shard(bad) == nil, "\(bad)")
    }
  }
}
