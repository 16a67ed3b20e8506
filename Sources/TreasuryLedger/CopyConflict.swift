@_spi(Inlining) import TreasuryModel

/// Two copies of one object that cannot both be true (a transaction both posted and void, an entry that changed).
package struct CopyConflict: Sendable, Equatable {
  package init(id: String, detail: String, first: SourceLocation, second: SourceLocation) {
    self.id = id
    self.detail = detail
    self.first = first
    self.second = second
  }

  package var id: String
  package var detail: String
  package var first: SourceLocation
  package var second: SourceLocation
}
