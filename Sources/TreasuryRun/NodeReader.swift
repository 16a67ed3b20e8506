import Foundation
import Yams

/// Reads typed values out of YAML nodes, throwing `ConfigError`s that name the file, line and key path.
struct NodeReader {
  var file: String
  /// The config file's folder: relative paths are taken from it.
  var base: String

  func error(_ node: Node, _ path: String, _ problem: String) -> ConfigError {
    ConfigError(file: file, line: node.mark?.line, keyPath: path, problem: problem)
  }

  func missing(_ path: String, in node: Node, example: String) -> ConfigError {
    error(node, path, "missing; for example \(example)")
  }

  /// What a node holds, for "expected …, found …".
  func describe(_ node: Node) -> String {
    switch node {
    case .scalar(let scalar):
      if node.null != nil { return "nothing (null)" }
      return "\"\(scalar.string)\""
    case .mapping: return "a mapping"
    case .sequence: return "a list"
    default: return "an alias"
    }
  }

  /// The mapping's values by key; a key not in `keys` is an error, and so is one given twice.
  func mapping(_ node: Node, path: String, keys: [String]) throws(ConfigError) -> [String: Node] {
    guard case .mapping(let mapping) = node else {
      throw error(node, path.isEmpty ? "" : path, "expected a mapping of keys, found \(describe(node))")
    }
    var values: [String: Node] = [:]
    for (key, value) in mapping {
      let name = key.string ?? ""
      let keyPath = path.isEmpty ? name : path + "." + name
      guard keys.contains(name) else {
        throw error(key, keyPath, "unknown key; expected one of \(keys.joined(separator: ", "))")
      }
      guard values[name] == nil else { throw error(key, keyPath, "given twice") }
      // `key: null` (as --print-config writes an unset option) is the default.
      if value.null == nil { values[name] = value }
    }
    return values
  }

  func sequence(_ node: Node, path: String) throws(ConfigError) -> [Node] {
    guard case .sequence(let sequence) = node else {
      throw error(node, path, "expected a list, found \(describe(node))")
    }
    return Array(sequence)
  }

  func string(_ node: Node, path: String) throws(ConfigError) -> String {
    guard case .scalar(let scalar) = node, node.null == nil, !scalar.string.isEmpty else {
      throw error(node, path, "expected a string, found \(describe(node))")
    }
    return scalar.string
  }

  func int(_ node: Node, path: String) throws(ConfigError) -> Int {
    guard case .scalar = node, let value = node.int else {
      throw error(node, path, "expected an integer, found \(describe(node))")
    }
    return value
  }

  func bool(_ node: Node, path: String) throws(ConfigError) -> Bool {
    guard case .scalar = node, let value = node.bool else {
      throw error(node, path, "expected true or false, found \(describe(node))")
    }
    return value
  }

  /// `3d`, `72h` or `30m` in seconds.
  func duration(_ node: Node, path: String) throws(ConfigError) -> Int64 {
    let text = try string(node, path: path)
    let unit = text.last
    guard let count = Int64(text.dropLast()), count >= 0, count <= 3650 * 24 * 60,
      let scale: Int64 = unit == "d" ? 86_400 : unit == "h" ? 3_600 : unit == "m" ? 60 : nil
    else { throw error(node, path, "expected a duration such as 3d, 36h or 90m, found \(describe(node))") }
    return count * scale
  }

  /// A path, relative ones taken from the config file's folder.
  func path(_ node: Node, path keyPath: String) throws(ConfigError) -> String {
    resolve(try string(node, path: keyPath))
  }

  func resolve(_ path: String) -> String {
    if path.hasPrefix("/") { return path }
    return URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: base, isDirectory: true)).standardizedFileURL
      .path
  }
}
