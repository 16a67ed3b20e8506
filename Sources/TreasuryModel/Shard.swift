/// `--shard K/N`: which part of a platform's connected accounts one process owns.
///
/// The split is a documented function of the account id alone, so any tool can compute it: the 64-bit FNV-1a hash of
/// the id's UTF-8 bytes (offset basis 0xcbf29ce484222325, prime 0x100000001b3, arithmetic modulo 2^64), taken modulo
/// N. The platform's own financial accounts (no connected account) belong to shard 0. `K/N` with N = 1 owns
/// everything, which is what a run without `--shard` does.
public struct Shard: Sendable, Hashable, CustomStringConvertible {
  /// This shard's number, 0 ≤ index < count.
  public let index: Int
  /// How many shards the accounts are split into.
  public let count: Int

  /// Every account: the unsharded run.
  public static let whole = Shard(uncheckedIndex: 0, count: 1)

  private init(uncheckedIndex index: Int, count: Int) {
    self.index = index
    self.count = count
  }

  /// Shard `index` of `count`; nil unless 0 ≤ index < count ≤ 65536.
  public init?(index: Int, count: Int) {
    guard count >= 1, count <= Self.maximumCount, index >= 0, index < count else { return nil }
    self.init(uncheckedIndex: index, count: count)
  }

  /// The shard written `K/N`, as `--shard` takes it; nil when it is not that form or out of range.
  public init?(_ text: String) {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.count <= 5 && $0.allSatisfy(\.isASCII) }),
      let index = Int(parts[0]), let count = Int(parts[1])
    else { return nil }
    self.init(index: index, count: count)
  }

  /// The most shards a run can be split into (a Kubernetes Indexed Job allows 100,000 completions; this is plenty).
  public static let maximumCount = 65536

  /// What `--shard` expects, for usage errors.
  public static let expectedForm =
    "K/N with 0 ≤ K < N ≤ \(maximumCount), e.g. 0/4 (K is the shard's number, N how many)"

  /// `K/N`.
  public var description: String { "\(index)/\(count)" }

  /// True when this is the unsharded run (N = 1).
  public var isWhole: Bool { count == 1 }

  /// The shard (0 ≤ result < count) that owns connected account `account`; the platform (`""`) is shard 0.
  public static func index(of account: String, count: Int) -> Int {
    guard !account.isEmpty, count > 1 else { return 0 }
    return Int(fnv1a64(account) % UInt64(count))
  }

  /// Whether this shard owns connected account `account` (`""`: the platform's own financial accounts).
  public func owns(_ account: String) -> Bool {
    Self.index(of: account, count: count) == index
  }

  /// 64-bit FNV-1a of `text`'s UTF-8 bytes.
  static func fnv1a64(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
      hash ^= UInt64(byte)
      hash &*= 0x0000_0100_0000_01b3
    }
    return hash
  }
}
