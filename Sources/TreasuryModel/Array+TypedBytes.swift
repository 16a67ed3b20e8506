extension Array where Element == UInt8 {
  /// `withUnsafeBytes` for a body that throws a typed error (the standard one rethrows as `any Error`).
  @inline(__always)
  package func withTypedBytes<Failure: Error>(
    _ body: (UnsafeRawBufferPointer) throws(Failure) -> Void
  ) throws(Failure) {
    var failure: Failure?
    withUnsafeBytes { raw in
      do throws(Failure) { try body(raw) } catch { failure = error }
    }
    if let failure { throw failure }
  }
}
