import Foundation

/// One line of the statement index (`index.jsonl` at the target's root): one published statement version, or a
/// later line marking an earlier version `restated`.
///
/// Lines are only ever appended; the last line for a `(financial_account, currency, period, version)` says its
/// status. Field names are the contract of issue 15: scripts read them.
struct IndexLine: Codable, Sendable, Equatable {
  var financialAccount: String
  var currency: String
  var period: String
  var version: Int
  /// `final`, or `restated` once a later version replaces it.
  var status: String
  /// The statement's content digest (SHA-256 of its summary row, booked and pending lines).
  var digest: String
  /// Object keys of the version, relative to the target.
  var objects: [String]
  /// The run that wrote this line.
  var run: String
  /// For a restatement: the version it replaces.
  var restates: Int?
  /// On a `restated` line: the version that replaces it.
  var restatedBy: Int?

  enum CodingKeys: String, CodingKey {
    case financialAccount = "financial_account"
    case currency, period, version, status, digest, objects, run, restates
    case restatedBy = "restated_by"
  }

  var statementID: String { financialAccount + "/" + currency + "/" + period }

  /// The line as written: sorted keys, no spaces, LF.
  var text: String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let data = (try? encoder.encode(self)) ?? Data()
    return String(decoding: data, as: UTF8.self) + "\n"
  }

  /// The lines of an index file; a line that is not an index line is skipped and counted.
  static func parse(_ text: String) -> (lines: [IndexLine], unreadable: Int) {
    var lines: [IndexLine] = []
    var unreadable = 0
    for line in text.split(separator: "\n") where !line.isEmpty {
      if let parsed = try? JSONDecoder().decode(IndexLine.self, from: Data(line.utf8)) {
        lines.append(parsed)
      } else {
        unreadable += 1
      }
    }
    return (lines, unreadable)
  }
}
