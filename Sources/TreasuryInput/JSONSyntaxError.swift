/// A JSON syntax error at a byte offset of the scanned text.
package struct JSONSyntaxError: Error, Sendable {
  package var message: String
  package var offset: Int
}
