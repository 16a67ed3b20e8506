@_spi(Inlining) import TreasuryModel
import TreasuryXML

/// The official camt.053 schemas, compiled once per process from the copies embedded in the binary.
package enum Camt053Schemas {
  private static let v02 = compile(.v02)
  private static let v08 = compile(.v08)

  /// The compiled schema for `version`.
  package static func schema(for version: Camt053Version) throws(XMLError) -> XMLSchema {
    switch version {
    case .v02: return try v02.get()
    case .v08: return try v08.get()
    }
  }

  private static func compile(_ version: Camt053Version) -> Result<XMLSchema, XMLError> {
    guard let bytes = EmbeddedSchemas.camt053(version: version.rawValue) else {
      return .failure(XMLError("the \(version.name) schema is not embedded in this build"))
    }
    do {
      return .success(try XMLSchema(bytes: bytes, name: version.name + ".xsd"))
    } catch {
      return .failure(error)
    }
  }
}
