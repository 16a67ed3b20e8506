import Foundation

/// What DUMPS remembers between runs, under `DUMPS/.fetch-state/` (hidden, so `statements` never reads it).
///
/// `state.json` pins what every run into the folder must share (API version,
/// live or test); `accounts/<folder>.json` holds, per financial account, the
/// server times at which the last committed run started listing, from which
/// the next run's windows are computed.
struct FetchState: Codable, Equatable {
  var format = 1
  var stripeVersion: String
  var mode: APIKey.Mode
  /// `--since` of the first run, as Unix seconds; later runs keep it.
  var since: Int64?

  enum CodingKeys: String, CodingKey {
    case format
    case stripeVersion = "stripe_version"
    case mode, since
  }
}

/// One account folder's memory: per financial account, where the next run starts.
struct AccountState: Codable, Equatable {
  /// `acct_…`, or nil for the platform.
  var account: String?
  var financialAccounts: [String: Cutoffs] = [:]
  /// What the last committed run did and what the dump holds, per list.
  var lists: [String: ListStats] = [:]
  /// Financial accounts whose reported balance did not match their entries when fetched (activity during the run).
  var balanceNotes: [String] = []

  struct Cutoffs: Codable, Equatable {
    /// Server time when the last run started listing transactions / entries.
    var transactions: Int64?
    var entries: Int64?
  }

  enum CodingKeys: String, CodingKey {
    case account
    case financialAccounts = "financial_accounts"
    case lists
    case balanceNotes = "balance_notes"
  }
}

/// Counts for one list of one account: in the dump, and fetched by the last run.
package struct ListStats: Codable, Equatable, Sendable {
  /// Objects in the dump file after the run.
  package var objects = 0
  /// Objects received in the run (duplicates across pages and re-reads included).
  package var fetched = 0
  package var pages = 0
  package var requests = 0
  package var retries = 0

  package init() {}

  mutating func add(_ other: ListStats) {
    fetched += other.fetched
    pages += other.pages
    requests += other.requests
    retries += other.retries
  }
}

/// Reading and writing the state files.
struct StateFolder {
  let root: String

  init(dumps: String) { root = dumps + "/.fetch-state" }

  var statePath: String { root + "/state.json" }
  var runPath: String { root + "/run" }

  func accountPath(_ folder: String) -> String { root + "/accounts/" + folder + ".json" }

  func loadState() throws(FetchError) -> FetchState? { try Self.load(statePath) }

  func save(_ state: FetchState) throws(FetchError) { try Self.save(state, statePath) }

  func loadAccount(_ folder: String) throws(FetchError) -> AccountState? { try Self.load(accountPath(folder)) }

  func save(_ account: AccountState, folder: String) throws(FetchError) { try Self.save(account, accountPath(folder)) }

  /// Every account folder with a state, sorted.
  func accountFolders() -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: root + "/accounts")) ?? []
    return names.filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.map { String($0.dropLast(5)) }.sorted()
  }

  static func load<T: Decodable>(_ path: String) throws(FetchError) -> T? {
    guard let bytes = try AtomicFile.read(path) else { return nil }
    do {
      return try JSONDecoder().decode(T.self, from: Data(bytes))
    } catch {
      throw .io(path: path, reason: "the fetch state is unreadable (\(error)); move the folder aside and fetch again")
    }
  }

  static func save<T: Encodable>(_ value: T, _ path: String) throws(FetchError) {
    do {
      try AtomicFile.write(path, try value.canonicalJSON())
    } catch let error as FetchError {
      throw error
    } catch {
      throw .io(path: path, reason: "cannot encode: \(error)")
    }
  }
}
