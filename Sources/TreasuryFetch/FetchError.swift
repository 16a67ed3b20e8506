@_spi(Inlining) import TreasuryModel

/// Why a fetch, or part of one, stopped; each case says what to do and maps to one exit code.
///
/// Messages never hold the API key: texts that come from the server pass
/// through `APIKey.redact` before they are stored here.
public enum FetchError: Error, Sendable, Equatable {
  /// Bad flags, a missing key, or a DUMPS folder that does not fit this run (exit 1).
  case usage(String)
  /// HTTP 401: the key was rejected (exit 5).
  case rejectedKey(request: String)
  /// Another 4xx, or an answer Stripe marked `Stripe-Should-Retry: false` (exit 5).
  case refused(request: String, status: Int, detail: String)
  /// Retries ran out on 429, 5xx, timeouts or dropped connections (exit 5).
  case gaveUp(request: String, attempts: Int, last: String)
  /// An answer larger than the cap: `declared` is its Content-Length (refused unread), nil when it grew past the cap.
  case tooLarge(request: String, limit: Int, declared: Int64?)
  /// The API answered something the tool cannot accept (exit 2).
  case invalidResponse(request: String, reason: String)
  /// DUMPS could not be read or written (exit 4).
  case io(path: String, reason: String)
  /// Another fetch is writing into the same DUMPS (exit 5).
  case locked(path: String)
  /// Stopped because another part of the run hit an error that stops everything (the key was rejected).
  case stopped

  public var exitCode: Int32 {
    switch self {
    case .usage: return ExitStatus.usage
    case .invalidResponse: return ExitStatus.invalidInput
    case .io: return ExitStatus.ioError
    case .rejectedKey, .refused, .gaveUp, .tooLarge, .locked, .stopped: return ExitStatus.fetchIncomplete
    }
  }

  /// True when no later request can succeed either, so the whole run stops.
  var stopsEverything: Bool {
    if case .rejectedKey = self { return true }
    return false
  }

  public var message: String {
    switch self {
    case .usage(let text):
      return "error: \(text)"
    case .rejectedKey(let request):
      return
        "\(request): error: the API key was rejected (HTTP 401); check STRIPE_API_KEY or --api-key-file (the key is not shown)"
    case .refused(let request, let status, let detail):
      return "\(request): error: the API refused the request (HTTP \(status)): \(detail)"
    case .gaveUp(let request, let attempts, let last):
      return
        "\(request): error: gave up after \(attempts) attempt\(attempts == 1 ? "" : "s") (last: \(last)); run fetch again to resume"
    case .tooLarge(let request, let limit, let declared):
      let size = declared.map { "declares \($0) bytes, more than" } ?? "grew past"
      let cap = limit % (1 << 20) == 0 ? "\(limit >> 20) MiB" : "\(limit) bytes"
      return
        "\(request): error: the answer \(size) the \(cap) one answer may hold, so it was not read (a page of Stripe objects is far smaller); not retried: check --api-base"
    case .invalidResponse(let request, let reason):
      return "\(request): error: unexpected answer from the API: \(reason)"
    case .io(let path, let reason):
      return "\(path): error: \(reason)"
    case .locked(let path):
      return "\(path): error: another fetch is writing into this folder; wait for it to finish"
    case .stopped:
      return "error: stopped because the run cannot go on (see the first error)"
    }
  }
}
