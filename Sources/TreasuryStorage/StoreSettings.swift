import Foundation
import TreasuryHTTP

/// How `openStore` reaches S3: the storage flags of `publish` and `verify URL` (a local folder ignores them).
package struct StoreSettings: Sendable, Equatable {
  /// `--s3-endpoint`: an S3-compatible service's URL (MinIO, Ceph…); nil: AWS's, `https://s3.<region>.amazonaws.com`.
  package var endpoint: String?
  /// `--s3-region`; nil: `AWS_REGION`, else `AWS_DEFAULT_REGION`, else `us-east-1`.
  package var region: String?
  /// `--s3-path-style`: the bucket in the path, not the host (automatic for IP addresses, `localhost` and bucket
  /// names with dots).
  package var pathStyle: Bool
  /// Bytes per part of a multipart upload, and the size above which a file goes in parts: at least 5 MiB (S3's
  /// minimum); raised for a file that would need more than 10,000 parts.
  package var partSize: Int
  /// Parts (or other requests) in flight at once.
  package var concurrency: Int
  /// Seconds one HTTP exchange may take, a part's upload included.
  package var timeout: Double
  /// Attempts and waits; full jitter, as AWS advises for S3.
  package var retry: RetryPolicy
  /// Entries asked for per listing page (`max-keys`, `max-uploads`, `max-parts`); nil: S3's 1,000. Tests make it
  /// small so that every listing takes several pages.
  package var listPageSize: Int?

  package static let minimumPartSize = 5 << 20

  package init(
    endpoint: String? = nil, region: String? = nil, pathStyle: Bool = false, partSize: Int = 16 << 20,
    concurrency: Int = 4, timeout: Double = 300, retry: RetryPolicy = RetryPolicy(jitter: .full),
    listPageSize: Int? = nil
  ) {
    self.endpoint = endpoint
    self.region = region
    self.pathStyle = pathStyle
    self.partSize = partSize
    self.concurrency = concurrency
    self.timeout = timeout
    self.retry = retry
    self.listPageSize = listPageSize
  }
}

/// The store `target` names: a `LocalStore` for a folder, an `S3Store` for `s3://` with credentials from the
/// standard chain (`AWSCredentialChain`, read from `environment`; web identity credentials are fetched on first use).
package func openStore(
  _ target: StorageTarget, settings: StoreSettings = StoreSettings(),
  environment: [String: String] = ProcessInfo.processInfo.environment
) async throws(StorageError) -> any ObjectStore {
  switch target {
  case .local(let path):
    return LocalStore(root: path)
  case .s3(let bucket, let prefix):
    guard settings.partSize >= StoreSettings.minimumPartSize else {
      throw .invalidSettings(
        "the part size \(settings.partSize) bytes is below S3's minimum of \(StoreSettings.minimumPartSize) (5 MiB)")
    }
    guard (1...64).contains(settings.concurrency) else {
      throw .invalidSettings("the upload concurrency \(settings.concurrency) is not between 1 and 64")
    }
    guard settings.timeout > 0, settings.retry.maxAttempts >= 1 else {
      throw .invalidSettings("the timeout and the number of attempts must be positive")
    }
    let chain = AWSCredentialChain(environment: environment)
    let region = chain.region(flag: settings.region)
    let endpoint = try S3Endpoint(
      endpoint: settings.endpoint, region: region, bucket: bucket, pathStyle: settings.pathStyle)
    let http = RetryingClient(policy: settings.retry, timeout: settings.timeout, connections: settings.concurrency + 1)
    let credentials = try chain.resolve(region: region, sts: http)
    let client = S3Client(bucket: bucket, endpoint: endpoint, region: region, credentials: credentials, http: http)
    return S3Store(
      bucket: bucket, prefix: prefix, client: client, partSize: settings.partSize, concurrency: settings.concurrency,
      pageSize: settings.listPageSize)
  }
}
