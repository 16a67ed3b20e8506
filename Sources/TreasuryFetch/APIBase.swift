import Foundation

/// Where API requests go: `https://api.stripe.com` by default; plain HTTP only to a loopback address.
///
/// The key travels in every request, so a non-TLS connection is allowed only
/// where it never leaves the machine (tests, stripe-mock).
public struct APIBase: Sendable, Equatable, CustomStringConvertible {
  package static let stripe = APIBase(checked: "https://api.stripe.com")

  /// Scheme, host, port and an optional path prefix, without a trailing slash.
  package let url: String

  private init(checked url: String) { self.url = url }

  public init(_ text: String) throws(FetchError) {
    guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
      let host = components.host, !host.isEmpty
    else {
      throw .usage("--api-base must be a URL such as https://api.stripe.com, found '\(text)'")
    }
    guard components.user == nil && components.password == nil else {
      throw .usage(
        "--api-base must not hold a user name or password; the key comes from STRIPE_API_KEY or --api-key-file")
    }
    guard components.query == nil && components.fragment == nil else {
      throw .usage("--api-base must not hold a query or fragment")
    }
    switch scheme {
    case "https": break
    case "http":
      guard Self.isLoopback(host) else {
        throw .usage("--api-base must use https (plain http is allowed only to 127.0.0.1, ::1 or localhost)")
      }
    default:
      throw .usage("--api-base must use https, found '\(scheme)'")
    }
    var path = components.percentEncodedPath
    while path.hasSuffix("/") { path.removeLast() }
    var rebuilt = URLComponents()
    rebuilt.scheme = scheme
    rebuilt.host = host
    rebuilt.port = components.port
    rebuilt.percentEncodedPath = path
    guard let string = rebuilt.string else { throw .usage("--api-base '\(text)' is not a valid URL") }
    url = string
  }

  public var description: String { url }

  static func isLoopback(_ host: String) -> Bool {
    let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    if bare.lowercased() == "localhost" || bare == "::1" { return true }
    let parts = bare.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 4, parts.allSatisfy({ UInt8($0) != nil }) else { return false }
    return parts[0] == "127"
  }
}
