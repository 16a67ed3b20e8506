/// A compact handle for a string interned in a `SymbolTable` (an id, a flow type, a description).
///
/// Records keep symbols instead of `String`s so that decoding millions of
/// objects allocates nothing per object.
package struct Symbol: Hashable, Sendable {
  package let index: Int32

  @inlinable package init(index: Int32) { self.index = index }

  /// Stands for a null or absent string (a transaction without a `flow`).
  package static let none = Symbol(index: -1)

  @inlinable package var isNone: Bool { index < 0 }
}
