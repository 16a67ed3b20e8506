/// An object that cannot be used, with the line it starts on and the byte range of its text.
package struct ObjectProblem: Sendable, Equatable {
  package var line: Int
  package var start: Int
  package var end: Int
  package var message: String
}
