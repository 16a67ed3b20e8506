import Foundation

/// A Stripe secret key: held in memory only, never printed, and scrubbed from any text that could show it.
///
/// Its `description` is a fixed placeholder, so string interpolation of the
/// key (a log line, an error built in a hurry) cannot leak it.
public struct APIKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
  /// Whether the key reaches live money or test data.
  public enum Mode: String, Sendable, Codable {
    case live
    case test
  }

  let secret: String

  /// Checks the shape only (no spaces or control characters, which would break the header); the API judges the rest.
  public init(_ text: String) throws(FetchError) {
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !trimmed.isEmpty else { throw .usage("the API key is empty") }
    guard trimmed.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
      throw .usage("the API key holds spaces or characters that cannot go in an HTTP header (the key is not shown)")
    }
    secret = trimmed
  }

  /// `live` for `sk_live_…`/`rk_live_…` keys, else `test`.
  public var mode: Mode { secret.contains("_live_") ? .live : .test }

  public var description: String { "[API key redacted]" }
  public var debugDescription: String { description }

  /// The HTTP Authorization header value.
  var authorization: String { "Bearer " + secret }

  /// `text` with every occurrence of the key replaced, for messages that quote the server or a URL.
  public func redact(_ text: String) -> String {
    guard secret.count >= 4, text.contains(secret) else { return text }
    return text.replacingOccurrences(of: secret, with: "[API key redacted]")
  }
}
