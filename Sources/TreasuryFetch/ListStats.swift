import Foundation

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
