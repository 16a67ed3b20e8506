import Foundation
import TreasuryStorage

/// Opens the store a `StorageTarget` names with the storage flags: a folder, or S3 with the credential chain.
enum StoreOpening {
  static func open(_ target: StorageTarget, _ options: StorageOptions) async throws(StorageError) -> any ObjectStore {
    switch target {
    case .local(let path): return LocalStore(root: path)
    case .s3: throw .invalidSettings("s3:// targets arrive with the S3 store (not merged yet)")
    }
  }
}
