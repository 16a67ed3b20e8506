/// What a dump knows of a connected `account` object.
package struct ConnectedAccountInfo: Sendable, Equatable {
  package var id: String
  package var name: String?
  package var source: SourceLocation

  package init(id: String, name: String?, source: SourceLocation) {
    self.id = id
    self.name = name
    self.source = source
  }
}
