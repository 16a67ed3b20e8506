import CCamtSchemas

/// The official XML schemas compiled into the binary (from `Sources/CCamtSchemas/schemas/`, unchanged).
///
/// Embedded rather than looked up at run time, so that `validate` works from
/// any copy of the binary and no code path can fail to find them.
package enum EmbeddedSchemas {
  /// The camt.053.001.`version` XSD's bytes (2 or 8), or nil for a version that is not embedded.
  package static func camt053(version: Int) -> UnsafeRawBufferPointer? {
    var size = 0
    guard let base = CCamtSchemas_camt053(Int32(version), &size), size > 0 else { return nil }
    return UnsafeRawBufferPointer(start: base, count: size)
  }
}
