/// The process exit codes, as documented in the README: every command's, in one place.
public enum ExitStatus {
  public static let success: Int32 = 0
  /// Bad flags, templates or `--out`; the run read nothing or wrote nothing.
  public static let usage: Int32 = 1
  /// The input (or an answer of the API) is invalid: nothing was written.
  package static let invalidInput: Int32 = 2
  /// Statements were written, but some do not reconcile (`verify`: the output does not match its manifest).
  public static let unreconciled: Int32 = 3
  /// Reading or writing failed (disk full, permissions, a file changed under the run).
  public static let ioError: Int32 = 4
  /// `fetch` or `publish` could not finish (retries ran out, the service refused, another fetch holds DUMPS), or
  /// `verify URL` could not read everything: rerun to resume.
  package static let fetchIncomplete: Int32 = 5
  /// `run`: a final statement's content changed and was published as a new version that restates it: a person
  /// must look (everything else was done).
  package static let restated: Int32 = 6
  /// `run`: another run holds the lock in the storage target; nothing was done.
  package static let lockHeld: Int32 = 7
  /// `publish`: different bytes are already stored under a name it would write; nothing was replaced.
  package static let objectExists: Int32 = 8
}
