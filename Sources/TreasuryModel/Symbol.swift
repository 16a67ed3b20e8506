/// A compact handle for a string interned in a `SymbolTable` (an id, a flow type, a description).
///
/// Records keep symbols instead of `String`s so that decoding millions of
/// objects allocates nothing per object.
///
/// Public under the `Inlining` SPI only, for `SymbolTable.withBytes` (see `ByteBuffer`).
@_spi(Inlining) public struct Symbol: Hashable, Sendable {
  public let index: Int32

  @inlinable public init(index: Int32) { self.index = index }

  /// Stands for a null or absent string (a transaction without a `flow`).
  public static let none = Symbol(index: -1)

  @inlinable public var isNone: Bool { index < 0 }
}
