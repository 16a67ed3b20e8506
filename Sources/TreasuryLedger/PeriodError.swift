/// A problem with the period flags (`--period`, `--from`, `--to`, `--interval`).
package struct PeriodError: Error, Sendable, Equatable {
  package var message: String
}
