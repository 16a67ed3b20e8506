/// What is wrong with an object the API sent.
package struct FetchedObjectProblem: Error, Sendable {
  package var reason: String
  init(_ reason: String) { self.reason = reason }
}
