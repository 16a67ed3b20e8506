/// A line (or object) that could not be used, as written to `rejects.jsonl`.
package struct InvalidLine: Sendable, Hashable, Codable {
  package var file: String
  package var line: Int
  package var reason: String
  /// The line as read, or its first `rawLimit` bytes (cut at a character boundary) when longer.
  package var raw: String
  /// The whole line's length in bytes, when `raw` holds only its start (nil, and absent from rejects.jsonl, when
  /// `raw` is all of it).
  package var rawBytes: Int?

  /// At most this much of an unusable line is kept: lines may be 64 MiB, and a run may have millions of them.
  package static let rawLimit = 64 << 10

  package init(file: String, line: Int, reason: String, raw: String, rawBytes: Int? = nil) {
    self.file = file
    self.line = line
    self.reason = reason
    self.raw = raw
    self.rawBytes = rawBytes
  }

  /// An unusable line from its bytes, keeping at most `rawLimit` of them.
  init(file: String, line: Int, reason: String, bytes: UnsafeRawBufferPointer) {
    let kept = Self.prefixLength(bytes, atMost: Self.rawLimit)
    self.init(
      file: file, line: line, reason: reason,
      raw: String(decoding: UnsafeRawBufferPointer(rebasing: bytes[0..<kept]), as: UTF8.self),
      rawBytes: kept < bytes.count ? bytes.count : nil)
  }

  /// How many of `bytes` to keep to hold at most `limit`, never cutting a UTF-8 sequence in two.
  static func prefixLength(_ bytes: UnsafeRawBufferPointer, atMost limit: Int) -> Int {
    guard bytes.count > limit else { return bytes.count }
    var kept = limit
    // The first byte left out continues a character: leave out that character's start too.
    while kept > 0 && bytes[kept] & 0xC0 == 0x80 && limit - kept < 3 { kept -= 1 }
    return kept
  }

  enum CodingKeys: String, CodingKey {
    case file, line, reason, raw
    case rawBytes = "raw_bytes"
  }

  /// `FILE:LINE: error: REASON`, the form editors and CI logs link to.
  package var message: String { "\(file):\(line): error: \(reason)" }
}
