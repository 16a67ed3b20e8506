import Foundation

/// Where a bucket's requests go: scheme, host and whether the bucket is in the host or the path.
///
/// AWS (`https://s3.<region>.amazonaws.com`, the default) takes virtual-hosted addressing
/// (`https://BUCKET.s3.<region>.amazonaws.com/KEY`); MinIO, Ceph and test servers usually want path-style
/// (`http://127.0.0.1:9000/BUCKET/KEY`), chosen by `--s3-path-style` and automatically for an IP address or
/// `localhost`, and for a bucket name with dots (which TLS wildcard certificates do not cover).
package struct S3Endpoint: Sendable, Equatable {
  package var scheme: String
  /// The service's host, lowercase, with `:port` when not the scheme's default.
  package var serviceHost: String
  package var bucket: String
  package var pathStyle: Bool
  /// Whether the endpoint is AWS's default for the region, so that a change of region changes the host.
  package var isRegionDefault: Bool

  /// `endpoint` as given to `--s3-endpoint` (nil: AWS's for `region`).
  package init(endpoint: String?, region: String, bucket: String, pathStyle: Bool) throws(StorageError) {
    self.bucket = bucket
    guard let endpoint else {
      scheme = "https"
      serviceHost = "s3.\(region).amazonaws.com"
      isRegionDefault = true
      self.pathStyle = pathStyle || bucket.contains(".")
      return
    }
    isRegionDefault = false
    guard let parts = URLComponents(string: endpoint), let scheme = parts.scheme?.lowercased(),
      scheme == "http" || scheme == "https", let host = parts.host?.lowercased(), !host.isEmpty,
      parts.user == nil, parts.password == nil, parts.query == nil, parts.fragment == nil,
      parts.path.isEmpty || parts.path == "/"
    else {
      throw .invalidSettings(
        "--s3-endpoint \(endpoint): not an endpoint URL (http:// or https://, a host and an optional port, nothing else)"
      )
    }
    self.scheme = scheme
    let defaultPort = scheme == "https" ? 443 : 80
    let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
    serviceHost = parts.port.map { $0 == defaultPort ? bracketed : "\(bracketed):\($0)" } ?? bracketed
    let isAddress = host == "localhost" || host.contains(":") || host.allSatisfy { $0.isNumber || $0 == "." }
    self.pathStyle = pathStyle || isAddress || bucket.contains(".")
  }

  /// The same endpoint for another region (AWS's default endpoint moves with it; a given one does not).
  package func inRegion(_ region: String) -> S3Endpoint {
    guard isRegionDefault else { return self }
    var copy = self
    copy.serviceHost = "s3.\(region).amazonaws.com"
    return copy
  }

  /// The `Host` header for requests on the bucket.
  package var host: String { pathStyle ? serviceHost : "\(bucket).\(serviceHost)" }

  /// The decoded path of `key` in the bucket (nil: the bucket itself), as `SigV4Signer` signs it in `.s3` mode.
  package func path(_ key: String?) -> String {
    let bucketPart = pathStyle ? "/" + bucket : ""
    guard let key else { return bucketPart.isEmpty ? "/" : bucketPart }
    return bucketPart + "/" + key
  }

  /// What messages show for the service: `https://s3.eu-west-1.amazonaws.com`.
  package var description: String { "\(scheme)://\(serviceHost)" }
}
