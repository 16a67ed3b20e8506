/// How `publish` and `verify URL` reach storage: the S3 endpoint and how requests are sent; ignored for a folder.
///
/// Credentials are not here: they come from the environment, the shared credentials file (`AWS_PROFILE`) or a web
/// identity token, never from flags.
public struct StorageOptions: Sendable {
  /// `--s3-endpoint`: an S3-compatible service (MinIO, Ceph, a GCS interoperability endpoint); nil for AWS.
  public var endpoint: String?
  /// `--s3-region`; nil: AWS_REGION, AWS_DEFAULT_REGION, else us-east-1.
  public var region: String?
  /// `--s3-path-style`: `https://HOST/BUCKET/KEY` instead of `https://BUCKET.HOST/KEY`.
  public var pathStyle = false
  /// `--part-size` in MiB: files larger than one part go as a multipart upload (at least 5).
  public var partSizeMiB = 16
  /// `--s3-concurrency`: objects, and parts of one object, in flight at once.
  public var concurrency = 4
  /// `--timeout`: seconds one HTTP exchange may take.
  public var timeout: Double = 300

  public init() {}

  /// The flag that is out of range, with what it takes; nil when every value can be used.
  public var problem: String? {
    if partSizeMiB < 5 || partSizeMiB > 5 * 1024 {
      return "--part-size takes MiB from 5 (S3's smallest part) to 5120, found \(partSizeMiB)"
    }
    if !(1...64).contains(concurrency) { return "--s3-concurrency takes 1 … 64, found \(concurrency)" }
    if !(timeout > 0 && timeout <= 3600) { return "--timeout takes seconds above 0, at most 3600, found \(timeout)" }
    return nil
  }
}
