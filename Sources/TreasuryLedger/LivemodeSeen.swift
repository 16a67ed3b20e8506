@_spi(Inlining) import TreasuryModel

/// The first place each `livemode` value was seen.
package struct LivemodeSeen: Sendable, Equatable {
  package init() {}

  package var live: SourceLocation?
  package var test: SourceLocation?

  package mutating func note(_ livemode: Bool, _ source: SourceLocation) {
    if livemode {
      if live.map({ source < $0 }) ?? true { live = source }
    } else {
      if test.map({ source < $0 }) ?? true { test = source }
    }
  }

  package mutating func merge(_ other: LivemodeSeen) {
    if let live = other.live { note(true, live) }
    if let test = other.test { note(false, test) }
  }

  package var isMixed: Bool { live != nil && test != nil }
}
