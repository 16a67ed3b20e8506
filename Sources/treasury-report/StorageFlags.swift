import ArgumentParser
import TreasuryPublish

/// The flags `publish` and `verify URL` share: how to reach S3 (ignored for a folder).
struct StorageFlags: ParsableArguments {
  @Option(name: .customLong("s3-endpoint"), help: "An S3-compatible service (MinIO, Ceph…): https://HOST[:PORT].")
  var endpoint: String?

  @Option(name: .customLong("s3-region"), help: "Region to sign for (default: AWS_REGION, else us-east-1).")
  var region: String?

  @Flag(name: .customLong("s3-path-style"), help: "Address the bucket in the path (https://HOST/BUCKET/KEY).")
  var pathStyle = false

  @Option(help: "MiB per part of a multipart upload (5-5120); larger files go in parts.")
  var partSize = 16

  @Option(name: .customLong("s3-concurrency"), help: "Objects, and parts of one object, in flight at once.")
  var concurrency = 4

  @Option(help: "Seconds one request to storage may take.")
  var timeout: Double = 300

  var options: StorageOptions {
    var options = StorageOptions()
    options.endpoint = endpoint
    options.region = region
    options.pathStyle = pathStyle
    options.partSizeMiB = partSize
    options.concurrency = concurrency
    options.timeout = timeout
    return options
  }
}
