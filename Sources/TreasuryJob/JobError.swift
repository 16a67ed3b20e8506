import TreasuryInput
import TreasuryLedger
@_spi(Inlining) import TreasuryModel
import TreasuryOutput
import TreasuryPartition
import TreasuryRender

/// Why a run stopped without writing its output; each case maps to one exit code.
package enum JobError: Error, Sendable {
  /// Bad flags (exit 1).
  case usage(String)
  case input(InputError)
  /// Lines that are not valid JSON or lack required fields (exit 2): the first ones, and how many in all.
  case invalidLines([InvalidLine], total: Int)
  /// Copies of one object that contradict each other (exit 2).
  case conflicts([String])
  /// Live and test objects in one run (exit 2).
  case mixedLivemode(live: String, test: String)
  /// One financial account found under two connected accounts (exit 2).
  case accountSplit([String])
  case ledger(LedgerError)
  case sink(OutputError)
  /// A temporary partition file failed (exit 4).
  case partition(SpillError)
  /// A CSV profile or HTML template that cannot be used (exit 1).
  case template(TemplateError)
  /// Activity spanning more periods than `--max-periods` allows (exit 2).
  case periodSpan([String])
  /// No Treasury object in any input, and no `--allow-empty` (exit 2).
  case noTreasuryObjects(String)
  /// A statement holding a value a chosen format cannot carry exactly (exit 2): `FILE: error: …`.
  case unrepresentable(String)

  package var exitCode: Int32 {
    switch self {
    case .usage: return ExitStatus.usage
    case .input(let error):
      return error.isUsage ? ExitStatus.usage : error.isInvalidInput ? ExitStatus.invalidInput : ExitStatus.ioError
    case .invalidLines, .conflicts, .mixedLivemode, .accountSplit, .ledger, .periodSpan, .unrepresentable,
      .noTreasuryObjects:
      return ExitStatus.invalidInput
    case .sink(let error): return error.isUsage ? ExitStatus.usage : ExitStatus.ioError
    case .partition: return ExitStatus.ioError
    case .template: return ExitStatus.usage
    }
  }

  /// One line per problem, the most useful first.
  package var messages: [String] {
    switch self {
    case .usage(let text): return ["error: \(text)"]
    case .input(let error): return [error.message]
    case .invalidLines(let lines, _): return lines.map(\.message)
    case .conflicts(let texts): return texts
    case .mixedLivemode(let live, let test):
      return [
        "error: live-mode and test-mode objects are mixed (livemode true at \(live), false at \(test)); run live and test dumps separately"
      ]
    case .accountSplit(let texts): return texts
    case .ledger(let error): return [error.message]
    case .sink(let error): return [error.message]
    case .partition(let error): return [error.message]
    case .template(let error): return [error.message]
    case .periodSpan(let lines): return lines
    case .unrepresentable(let line): return [line]
    case .noTreasuryObjects(let line): return [line]
    }
  }

  /// How many problems `messages` stands for (more than it lists when only the first invalid lines were kept).
  package var problemCount: Int {
    if case .invalidLines(_, let total) = self { return total }
    return messages.count
  }

  /// What to do about it, printed after the messages.
  package var advice: String? {
    switch self {
    case .invalidLines(_, let total):
      let noun = total == 1 ? "line is" : "lines are"
      return
        "\(total) input \(noun) invalid; nothing was written (fix the dump, or pass --skip-invalid to set such lines aside in rejects.jsonl)"
    case .noTreasuryObjects, .input(.noDumpFiles):
      return
        "nothing was written; check that INPUT names the dumps (an empty file, pipe or folder is usually a failed export or a wrong path), or pass --allow-empty when an empty input is expected"
    case .conflicts(let texts):
      return
        "\(texts.count == 1 ? "1 object has" : "\(texts.count) objects have") contradictory copies; nothing was written (export the dump again)"
    case .accountSplit:
      return
        "nothing was written (keep each connected account's files under its own acct_… folder, or run accounts separately)"
    case .unrepresentable:
      return
        "nothing was written; that format cannot carry the value named above exactly, and a cut or altered one would be wrong: correct the dump, or leave the format out of --format"
    case .periodSpan:
      return
        "nothing was written; so long a span is nearly always a mistyped timestamp: check the objects named above, choose the periods with --from and --to (or --period), or raise --max-periods if the span is real"
    default:
      return nil
    }
  }
}

extension JobError {
  /// A renderer's failure as the run's, by its case: the output's own failure as it is, a value the format
  /// cannot carry as the input's problem (exit 2; named by its object when `locate` can place it, else by the
  /// output `file`, never the staging path), the renderer's own failure as an I/O error on `path`.
  init(_ error: RenderError, file: String, path: String, locate: ((SourceLocation) -> String)? = nil) {
    switch error {
    case .output(let error): self = .sink(error)
    case .unrepresentable(let error):
      guard let source = error.source, let locate else {
        self = .unrepresentable("\(file): error: \(error.message)")
        return
      }
      self = .unrepresentable("\(locate(source)): error: \(error.message) (writing \(file))")
    case .failed(let reason): self = .sink(.cannotWrite(path: path, reason: reason))
    }
  }
}
