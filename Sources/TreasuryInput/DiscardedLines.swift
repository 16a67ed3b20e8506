/// For reading a file again: its unusable lines were reported the first time.
package struct DiscardedLines: RejectSink {
  package init() {}

  package mutating func reject(_ line: InvalidLine) {}
}
