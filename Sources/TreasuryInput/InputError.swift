/// A problem with an input file as a whole: it cannot be found, opened or read, or its compression is broken.
package enum InputError: Error, Sendable, Equatable {
  /// The path does not exist.
  case notFound(path: String)
  /// The file exists but could not be opened or read.
  case unreadable(path: String, reason: String)
  /// The gzip data is corrupt or cut short; `line` is the last line read before it.
  case corruptGzip(path: String, line: Int, reason: String)
  /// A line is too long to be a Stripe object.
  case lineTooLong(path: String, line: Int, limit: Int)
  /// A value of a `.json` file (starting on `line`) is too long to be a Stripe object or list page.
  case valueTooLong(path: String, line: Int, limit: Int)
  /// A folder holds no dump files at all: no Treasury objects to read (exit 2, unless `--allow-empty`).
  case noDumpFiles(path: String)
  /// An INPUT that is a FIFO, socket or device (`kind`): reading it could block forever.
  case notARegularFile(path: String, kind: String)

  /// True for problems with the data itself (exit 2), false for I/O failures (exit 4). A folder without dump files
  /// is the data's problem: nothing to read is a run that must not look green.
  package var isInvalidInput: Bool {
    switch self {
    case .corruptGzip, .lineTooLong, .valueTooLong, .noDumpFiles: return true
    case .notFound, .unreadable, .notARegularFile: return false
    }
  }

  /// True when the user should name another INPUT (exit 1).
  package var isUsage: Bool {
    if case .notARegularFile = self { return true }
    return false
  }

  package var message: String {
    switch self {
    case .notFound(let path):
      return "\(path): error: no such file or folder; check the INPUT path"
    case .unreadable(let path, let reason):
      return "\(path): error: cannot read: \(reason)"
    case .corruptGzip(let path, let line, let reason) where line == 0:
      return
        "\(path): error: gzip data is corrupt or cut short before its first line (\(reason)); fetch or copy the file again"
    case .corruptGzip(let path, let line, let reason):
      return
        "\(path):\(line): error: gzip data is corrupt or cut short after this line (\(reason)); fetch or copy the file again"
    case .lineTooLong(let path, let line, let limit):
      return
        "\(path):\(line): error: line is longer than \(Self.size(limit)); is this a JSON-lines dump?"
    case .valueTooLong(let path, let line, let limit):
      return
        "\(path):\(line): error: a JSON value starting on this line is longer than \(Self.size(limit)); a Stripe object or list page is far smaller (is this a dump?)"
    case .noDumpFiles(let path):
      return
        "\(path): error: no dump files found (looked for *.jsonl, *.json, *.jsonl.gz, *.json.gz)"
    case .notARegularFile(let path, let kind):
      return
        "\(path): error: is \(kind), not a regular file or folder; to read a pipe, pass - and redirect it to standard input"
    }
  }

  private static func size(_ bytes: Int) -> String {
    bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB" : "\(bytes) bytes"
  }
}
