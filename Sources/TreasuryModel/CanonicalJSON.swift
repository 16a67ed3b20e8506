import Foundation

extension Encodable {
  /// The JSON this tool writes its own files in (manifests, fetch state, run reports): pretty-printed, keys
  /// sorted, slashes unescaped, a final newline; the same value always gives the same bytes.
  package func canonicalJSON() throws -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return Array(try encoder.encode(self)) + [0x0A]
  }
}
