/// Where a reader puts the lines it cannot use.
package protocol RejectSink {
  mutating func reject(_ line: InvalidLine)
}
