import Foundation

/// A request `BoundedHTTP` sends: a method, an absolute URL and its headers (no body: GETs so far).
package struct HTTPRequest: Sendable {
  package var method: String
  package var url: String
  package var headers: [(name: String, value: String)]

  package init(method: String = "GET", url: String, headers: [(name: String, value: String)] = []) {
    self.method = method
    self.url = url
    self.headers = headers
  }
}
