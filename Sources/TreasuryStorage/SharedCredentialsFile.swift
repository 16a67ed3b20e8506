import Foundation

/// The AWS shared credentials file (`~/.aws/credentials`): INI sections of `key = value` lines, one per profile.
///
/// Read as the AWS CLI reads it: `[name]` starts a profile (`[profile name]` too, as in the config file), `#` and
/// `;` start a comment line, keys are case-insensitive, a later key overrides an earlier one. Problems are
/// reported as `FILE:LINE: error: …` and never quote a value, since values are secrets.
package struct SharedCredentialsFile: Sendable {
  package var path: String
  /// Profile name → key (lowercased) → (value, line).
  private var profiles: [String: [String: (value: String, line: Int)]] = [:]
  private var profileLines: [String: Int] = [:]

  /// Parses the file at `path`; nil when there is no file there.
  package init?(path: String) throws(StorageError) {
    self.path = path
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      if !FileManager.default.fileExists(atPath: path) { return nil }
      throw .badCredentials("\(path): error: cannot read the shared credentials file: \(error.localizedDescription)")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw .badCredentials("\(path): error: the shared credentials file is not UTF-8 text")
    }
    try parse(text)
  }

  /// Parses `text` as if it were the file at `path` (for tests).
  package init(path: String, text: String) throws(StorageError) {
    self.path = path
    try parse(text)
  }

  private mutating func parse(_ text: String) throws(StorageError) {
    var current: String?
    for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let line = index + 1
      let trimmed = raw.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\r")))
      if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }
      if trimmed.hasPrefix("[") {
        guard trimmed.hasSuffix("]"), trimmed.count > 2 else {
          throw .badCredentials("\(path):\(line): error: a profile line is `[name]`; this one has no closing ]")
        }
        var name = trimmed.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
        if name.hasPrefix("profile ") { name = name.dropFirst("profile ".count).trimmingCharacters(in: .whitespaces) }
        current = name
        if profiles[name] == nil {
          profiles[name] = [:]
          profileLines[name] = line
        }
        continue
      }
      guard let equals = trimmed.firstIndex(of: "=") else {
        throw .badCredentials(
          "\(path):\(line): error: expected `[profile]`, `key = value` or a comment (the line is not shown: it may hold a secret)"
        )
      }
      guard let profile = current else {
        throw .badCredentials("\(path):\(line): error: a `key = value` line before any `[profile]` line")
      }
      let key = trimmed[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
      let value = trimmed[trimmed.index(after: equals)...].trimmingCharacters(in: .whitespaces)
      guard !key.isEmpty else { throw .badCredentials("\(path):\(line): error: a line with `=` but no key before it") }
      profiles[profile]?[key] = (value, line)
    }
  }

  /// The profile's credentials; nil when the file has no such profile or the profile has no access key.
  package func credentials(profile: String) throws(StorageError) -> AWSCredentials? {
    guard let entries = profiles[profile] else { return nil }
    let heading = "\(path):\(profileLines[profile] ?? 0)"
    guard let key = entries["aws_access_key_id"] else {
      if entries["aws_secret_access_key"] != nil {
        throw .badCredentials(
          "\(heading): error: profile '\(profile)' has aws_secret_access_key but no aws_access_key_id")
      }
      return nil
    }
    guard !key.value.isEmpty else {
      throw .badCredentials("\(path):\(key.line): error: profile '\(profile)' has an empty aws_access_key_id")
    }
    guard let secret = entries["aws_secret_access_key"], !secret.value.isEmpty else {
      throw .badCredentials(
        "\(heading): error: profile '\(profile)' has aws_access_key_id but no aws_secret_access_key")
    }
    let token = entries["aws_session_token"]?.value ?? entries["aws_security_token"]?.value
    return AWSCredentials(
      accessKeyID: key.value, secretAccessKey: secret.value, sessionToken: token?.isEmpty == false ? token : nil)
  }
}
