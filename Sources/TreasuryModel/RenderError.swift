/// Why a renderer stopped: the one error every renderer throws.
///
/// The cases say whose problem it is, so the job maps them to exit codes without asking the error's type:
/// an output that failed is an I/O error (exit 4, or 1 for a refused `--out`), a value the format cannot carry is
/// the input's (exit 2).
package enum RenderError: Error, Sendable, Equatable {
  /// The target could not take the bytes.
  case output(OutputError)
  /// The statement holds a value the format cannot carry exactly (an amount with too many digits, an id too long).
  case unrepresentable(ExportLimitError)
  /// The renderer's own machinery failed (libxml2 out of memory); the text says how.
  case failed(String)
}

extension RenderError {
  /// As an output's failure, where the caller can only report one (the tool's own CSV files, whose values always
  /// fit): `path` names the file for a failure that is not the output's.
  package func outputError(path: String) -> OutputError {
    switch self {
    case .output(let error): return error
    case .unrepresentable(let error): return .cannotWrite(path: path, reason: error.message)
    case .failed(let reason): return .cannotWrite(path: path, reason: reason)
    }
  }
}
