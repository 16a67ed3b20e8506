/// What `ObjectStore.put` did.
package enum PutOutcome: Sendable, Equatable {
  /// The object did not exist and now holds the file's bytes.
  case written
  /// The same bytes were already there (same SHA-256): nothing was sent; a rerun publishes nothing.
  case unchanged
}
