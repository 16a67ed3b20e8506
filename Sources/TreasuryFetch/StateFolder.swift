import Foundation

/// Reading and writing the state files.
struct StateFolder {
  let root: String

  /// The hidden folder's name under DUMPS.
  static let name = ".fetch-state"

  init(dumps: String) { root = dumps + "/" + Self.name }

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
    let bytes: [UInt8]
    do { bytes = try value.canonicalJSON() } catch { throw .io(path: path, reason: "cannot encode: \(error)") }
    try AtomicFile.write(path, bytes)
  }
}
