/// A problem writing outputs: the one error a `RenderTarget` throws, and what the output folder refuses.
package enum OutputError: Error, Sendable, Equatable {
  /// `--out` names something the tool must not replace.
  case refusingToReplace(path: String, reason: String)
  /// A file or folder could not be created or written (disk full, permissions, …).
  case cannotWrite(path: String, reason: String)
  /// The finished folder could not be moved into place.
  case cannotCommit(path: String, reason: String)
  /// `--out` holds an input (`holdsInput`) or lies inside one.
  case overlapsInput(path: String, input: String, holdsInput: Bool)
  /// `--out` holds an earlier run of this tool and `--replace` was not given; `holds` says what it holds.
  case holdsEarlierRun(path: String, holds: String)

  /// True when the user should pick another `--out` (exit 1); I/O failures are exit 4.
  package var isUsage: Bool {
    switch self {
    case .refusingToReplace, .overlapsInput, .holdsEarlierRun: return true
    case .cannotWrite, .cannotCommit: return false
    }
  }

  package var message: String {
    switch self {
    case .refusingToReplace(let path, let reason):
      return "\(path): error: will not replace this folder: \(reason); choose a new or empty --out folder"
    case .cannotWrite(let path, let reason):
      return "\(path): error: cannot write: \(reason)"
    case .cannotCommit(let path, let reason):
      return "\(path): error: cannot move the finished output into place: \(reason); nothing was changed"
    case .overlapsInput(let path, let input, true):
      return
        "\(path): error: --out contains the input \(input); choose an --out folder outside every input (a run replaces the whole folder, which would delete that input)"
    case .holdsEarlierRun(let path, let holds):
      return
        "\(path): error: --out holds an earlier run (\(holds)); pass --replace to replace the whole folder with this run, or choose another --out"
    case .overlapsInput(let path, let input, false):
      return
        "\(path): error: --out is inside the input \(input); choose an --out folder outside every input (later runs would read the output as input)"
    }
  }
}
