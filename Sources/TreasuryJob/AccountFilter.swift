import TreasuryInput
@_spi(Inlining) import TreasuryModel

/// `--only`: the connected accounts (`acct_…`) and financial accounts (`fa_…`) a run is limited to.
///
/// A financial account is in the run when it is named, or when the connected
/// account its inputs are filed under is. Files of connected accounts that are
/// not named are not read at all when only `acct_` values are given (the
/// manifest then lists only the files read); a `fa_` value needs every input
/// read, since a dump's layout does not say which financial accounts a file
/// holds. A value that matches nothing in the inputs is an error, never a run
/// that silently writes less than asked.
struct AccountFilter: Sendable {
  /// Connected accounts named with `--only acct_…`.
  let accounts: Set<String>
  /// Financial accounts named with `--only fa_…`.
  let financialAccounts: Set<String>

  /// No `--only`: every account.
  static let all = AccountFilter(accounts: [], financialAccounts: [])

  private init(accounts: Set<String>, financialAccounts: Set<String>) {
    self.accounts = accounts
    self.financialAccounts = financialAccounts
  }

  /// The filter of `values` (`--only`, repeatable); a value that is neither kind of id is a usage error.
  init(_ values: [String]) throws(JobError) {
    var accounts = Set<String>()
    var financialAccounts = Set<String>()
    for value in values {
      if InputFile.isAccountID(value) {
        accounts.insert(value)
      } else if Self.isFinancialAccountID(value) {
        financialAccounts.insert(value)
      } else {
        throw .usage(
          "--only takes a connected account (acct_…) or a financial account (fa_…) id, found '\(value.abbreviated())'")
      }
    }
    self.accounts = accounts
    self.financialAccounts = financialAccounts
  }

  /// True when `--only` was given.
  var isActive: Bool { !accounts.isEmpty || !financialAccounts.isEmpty }

  /// Whether the run writes statements of `financialAccount`, filed under connected account `account`.
  func includes(_ financialAccount: String, of account: String) -> Bool {
    !isActive || accounts.contains(account) || financialAccounts.contains(financialAccount)
  }

  /// `catalog` without the files no statement of the run can come from; every `acct_` value must name the
  /// connected account of some file.
  func narrowed(_ catalog: InputCatalog) throws(JobError) -> InputCatalog {
    guard isActive else { return catalog }
    let present = Set(catalog.files.map(\.account))
    let missing = accounts.subtracting(present).sorted()
    if !missing.isEmpty {
      let known = present.filter { !$0.isEmpty }.sorted()
      throw .usage(
        "--only \(missing.joined(separator: ", ")): no input is filed under \(missing.count == 1 ? "that connected account" : "those connected accounts") (an acct_… folder at or below an INPUT, or --account); "
          + (known.isEmpty
            ? "the inputs name no connected account" : "the inputs hold \(known.prefix(10).joined(separator: ", "))"))
    }
    guard financialAccounts.isEmpty else { return catalog }
    var narrowed = catalog
    narrowed.files = catalog.files.filter { accounts.contains($0.account) }
    return narrowed
  }

  /// The `fa_` values that name no financial account in `seen` (every financial account the run read), as an error.
  func checkMatched(_ seen: Set<String>) throws(JobError) {
    let missing = financialAccounts.subtracting(seen).sorted()
    guard !missing.isEmpty else { return }
    let known = seen.sorted()
    throw .usage(
      "--only \(missing.joined(separator: ", ")): no such financial account in the inputs; "
        + (known.isEmpty
          ? "they hold none" : "they hold \(known.prefix(10).joined(separator: ", "))\(known.count > 10 ? ", …" : "")"))
  }

  /// `fa_` and letters or digits, as Stripe writes financial account ids.
  static func isFinancialAccountID(_ text: String) -> Bool {
    guard text.hasPrefix("fa_"), text.utf8.count > 3, text.utf8.count <= 255 else { return false }
    return text.utf8.dropFirst(3).allSatisfy { c in
      (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
        || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "_")
    }
  }
}
