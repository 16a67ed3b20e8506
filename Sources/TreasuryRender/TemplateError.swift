/// A template or CSV profile that cannot be used; the run stops before reading any input (exit 1).
package enum TemplateError: Error, Sendable, Equatable {
  /// `--format csv:NAME` names no profile; `folder` is `--templates`, if given.
  case unknownProfile(name: String, available: [String], folder: String?)
  /// A profile name that cannot become part of a file name.
  case invalidProfileName(name: String)
  /// A profile file with a problem at `key` (nil: the whole file).
  case invalidProfile(file: String, key: String?, reason: String)
  /// A Mustache template that does not parse.
  case invalidTemplate(file: String, line: Int, column: Int, reason: String)
  /// `--templates` or a file in it cannot be read.
  case unreadable(path: String, reason: String)

  package var message: String {
    switch self {
    case .unknownProfile(let name, let available, let folder):
      let place =
        folder.map { "add csv/\(name).json inside the --templates folder (\($0)/csv/\(name).json)" }
        ?? "write it as csv/\(name).json inside a folder and pass that folder as --templates"
      return "error: no CSV profile named '\(name)' (available: \(available.joined(separator: ", "))); \(place)"
    case .invalidProfileName(let name):
      return
        "error: '\(name)' is not a usable profile name: use lowercase letters, digits, - and _ (not three letters alone, which would read as a currency code)"
    case .invalidProfile(let file, let key, let reason):
      if let key { return "\(file): error: '\(key)' \(reason)" }
      return "\(file): error: \(reason)"
    case .invalidTemplate(let file, let line, let column, let reason):
      return "\(file):\(line):\(column): error: the Mustache template does not parse: \(reason)"
    case .unreadable(let path, let reason):
      return "\(path): error: cannot read: \(reason)"
    }
  }
}
