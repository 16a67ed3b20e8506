import Foundation
import TreasuryStorage

/// Opens the store a `StorageTarget` names with the storage flags: a folder, or S3 with the credential chain.
package enum StoreOpening {
  package static func open(_ target: StorageTarget, _ options: StorageOptions) async throws(StorageError)
    -> any ObjectStore
  {
    var settings = StoreSettings()
    settings.endpoint = options.endpoint
    settings.region = options.region
    settings.pathStyle = options.pathStyle
    settings.partSize = options.partSizeMiB << 20
    settings.concurrency = options.concurrency
    settings.timeout = options.timeout
    return try await openStore(target, settings: settings)
  }
}
