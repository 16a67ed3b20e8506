import Foundation

/// A request `BoundedHTTP` sends: a method, an absolute URL, its headers and, for PUT and POST, a body.
package struct HTTPRequest: Sendable {
  package var method: String
  package var url: String
  package var headers: [(name: String, value: String)]
  /// The bytes to send (`Content-Length` is set from them); nil sends no body (GET, HEAD, DELETE).
  package var body: [UInt8]?

  package init(
    method: String = "GET", url: String, headers: [(name: String, value: String)] = [], body: [UInt8]? = nil
  ) {
    self.method = method
    self.url = url
    self.headers = headers
    self.body = body
  }
}
