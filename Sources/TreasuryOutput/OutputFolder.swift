import Foundation
import Synchronization
import TreasuryInput
@_spi(Inlining) import TreasuryModel

/// The output folder, built in a hidden staging folder beside it and moved into place only when complete.
///
/// A failed run leaves the destination exactly as it was. An existing
/// destination is replaced only if it is empty, or was written by this tool
/// and `replace` is set (`--replace`: an earlier run is never replaced
/// silently), and never when it holds an input or lies inside one. A destination that is
/// a symbolic link is written through: the folder it names is replaced and the
/// link stays. A run stopped by a signal removes its staging folder
/// (`InterruptCleanup`); one killed outright leaves it to the next run.
/// Workers create files concurrently: each `FileSink` is their own, and the
/// list of finished files and the commit state are each behind a `Mutex`.
///
/// With `gzipLevel`, every output made through `output(_:)` is gzipped and
/// named `NAME.gz`; `manifest.json` is always written plain (`write(...,
/// compressed: false)`) so that the folder's index is readable without tools
/// and the folder is recognized as this tool's.
package final class OutputFolder: Sendable {
  /// The folder written: `--out`, or the folder it links to (a link is written through and stays a link).
  package let destination: String
  package let staging: String
  /// Deflate level (0…9) for gzipped outputs; nil writes them plain.
  package let gzipLevel: Int32?
  /// What killed runs had left beside the destination and this run removed (or put back), one sentence each.
  package let leftoversRemoved: [String]
  /// `--replace`: an earlier run of this tool in the destination may be replaced.
  package let replace: Bool
  /// Held while the destination is replaced or the staging folder removed: a signal never cuts a commit in half.
  private let state = Mutex(CommitState())
  /// The files recorded for the manifest, and the folders (relative to the staging folder) already made.
  private let written = Mutex((outputs: [OutputFile](), madeFolders: Set([""])))

  private struct CommitState {
    var committed = false
    /// A stopping signal removed the staging folder: nothing may be committed after it.
    var abandoned = false
    /// Folders above the destination this run created, removed again if it fails (deepest first).
    var createdParents: [String] = []
  }

  /// `inputs` (files or folders; `-` is ignored) must neither lie inside the destination nor hold it.
  package init(
    destination: String, gzipLevel: Int32? = nil, inputs: [String] = [], replace: Bool = false
  ) throws(OutputError) {
    self.gzipLevel = gzipLevel
    self.replace = replace
    let trimmed = destination.count > 1 && destination.hasSuffix("/") ? String(destination.dropLast()) : destination
    self.destination = try Self.followingLink(trimmed)
    try Self.checkApart(self.destination, shownAs: trimmed, from: inputs)
    let url = URL(fileURLWithPath: self.destination)
    let parent = url.deletingLastPathComponent().path
    staging = parent + "/." + url.lastPathComponent + ".partial-" + String(getpid())
    leftoversRemoved = Self.removeLeftovers(of: self.destination, in: parent, name: url.lastPathComponent)
    try Self.checkReplaceable(self.destination, replace: replace)
    // Registered before the staging folder exists, and the folder made under the commit lock: a signal that
    // arrives meanwhile waits for the folder and removes it (the cleanup never gives the lock back).
    InterruptCleanup.register(ObjectIdentifier(self)) { [weak self] in self?.abandon() ?? false }
    let staging = staging
    let made = state.withLock { state -> String? in
      do {
        var missing: [String] = []
        var folder = URL(fileURLWithPath: parent)
        while !FileManager.default.fileExists(atPath: folder.path) {
          missing.append(folder.path)
          folder = folder.deletingLastPathComponent()
        }
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        state.createdParents = missing
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: false)
        return nil
      } catch {
        return error.localizedDescription
      }
    }
    if let reason = made {
      InterruptCleanup.unregister(ObjectIdentifier(self))
      throw .cannotWrite(path: staging, reason: reason)
    }
  }

  deinit {
    InterruptCleanup.unregister(ObjectIdentifier(self))
    discard()
  }

  /// A new file at `relativePath` inside the staging folder.
  package func file(_ relativePath: String) throws(OutputError) -> FileSink {
    // Thousands of statement files share a few hundred folders: make each folder once.
    let folder = relativePath.lastIndex(of: "/").map { String(relativePath[..<$0]) } ?? ""
    let known = written.withLock { $0.madeFolders.contains(folder) }
    let sink = try FileSink(path: staging + "/" + relativePath, relativePath: relativePath, foldersExist: known)
    if !known { written.withLock { _ = $0.madeFolders.insert(folder) } }
    return sink
  }

  /// A new output named `relativePath` (plus `.gz` when the folder gzips its outputs).
  package func output(_ relativePath: String) throws(OutputError) -> OutputWriter {
    let name = gzipLevel == nil ? relativePath : relativePath + ".gz"
    return try OutputWriter(file: file(name), gzipLevel: gzipLevel)
  }

  /// Writes a whole output at once; `compressed: false` keeps it plain even when the folder gzips.
  package func write(_ relativePath: String, _ bytes: [UInt8], rows: Int?, compressed: Bool = true) throws(OutputError)
  {
    let writer = compressed ? try output(relativePath) : try OutputWriter(file: file(relativePath), gzipLevel: nil)
    try bytes.withTypedBytes { (raw) throws(OutputError) in try writer.write(raw) }
    record(try writer.finish(rows: rows))
  }

  /// Notes a finished file for the manifest (safe from several threads).
  package func record(_ file: OutputFile) {
    written.withLock { $0.outputs.append(file) }
  }

  /// Every file recorded so far, sorted by path.
  package var files: [OutputFile] {
    written.withLock { $0.outputs }.sorted { $0.path < $1.path }
  }

  /// Moves the staging folder into place, replacing an earlier output of this tool.
  package func commit() throws(OutputError) {
    try state.withLock { (state) throws(OutputError) in
      guard !state.abandoned else {
        throw .cannotCommit(path: destination, reason: "the run was stopped and its staging folder removed")
      }
      let manager = FileManager.default
      // The destination may have changed while the run worked: check again before moving it aside.
      try Self.checkReplaceable(destination, replace: replace)
      var previous: String? = nil
      if manager.fileExists(atPath: destination) {
        let aside = staging + ".previous"
        guard rename(destination, aside) == 0 else {
          throw .cannotCommit(path: destination, reason: String(cString: strerror(errno)))
        }
        previous = aside
      }
      guard rename(staging, destination) == 0 else {
        let reason = String(cString: strerror(errno))
        if let previous { _ = rename(previous, destination) }
        throw .cannotCommit(path: destination, reason: reason)
      }
      state.committed = true
      InterruptCleanup.unregister(ObjectIdentifier(self))
      if let previous { try? manager.removeItem(atPath: previous) }
    }
  }

  /// Removes the staging folder and any parent folders the run created; the destination is untouched.
  package func discard() {
    state.withLock { state in
      guard !state.committed else { return }
      InterruptCleanup.unregister(ObjectIdentifier(self))
      try? FileManager.default.removeItem(atPath: staging)
      for folder in state.createdParents { _ = rmdir(folder) }
      state.createdParents = []
    }
  }

  /// For a stopping signal, while workers may still be writing: the staging folder is moved aside in one step
  /// (workers then fail to make anything under its name, see `FileSink`) and removed. A commit under way is let
  /// finish; none can start after (`abandoned`).
  private func abandon() -> Bool {
    state.withLock { state in
      guard !state.committed else { return false }
      state.abandoned = true
      let aside = staging + ".discarded"
      let doomed = rename(staging, aside) == 0 ? aside : staging
      try? FileManager.default.removeItem(atPath: doomed)
      for folder in state.createdParents { _ = rmdir(folder) }
      state.createdParents = []
      return true
    }
  }

  /// Why `--report-json` must not be written to `report`, or nil. Inside the output folder a failed run would
  /// change that folder (and `verify` would find a file its manifest does not list); over an input dump the report
  /// would replace it.
  package static func reportProblem(_ report: String, output: String, inputs: [String]) -> String? {
    if PathIdentity.isWithin(report, output) {
      return
        "--report-json \(report) is inside the --out folder \(output); write the report outside it (the folder's manifest.json records the run)"
    }
    guard let target = PathIdentity.id(report) else { return nil }
    let name = PathIdentity.realName(report)
    for input in inputs where input != "-" {
      if PathIdentity.id(input) == target {
        return "--report-json \(report) is the input \(input); write the report elsewhere"
      }
      if PathIdentity.isWithin(report, input), InputFile.kind(of: name) != nil, !InputCatalog.toolFiles.contains(name) {
        return "--report-json \(report) would replace a dump file of the input \(input); write the report elsewhere"
      }
    }
    return nil
  }

  /// `--out` itself, or the folder it is a symbolic link to.
  private static func followingLink(_ path: String) throws(OutputError) -> String {
    var info = stat()
    guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFLNK else { return path }
    guard let real = realpath(path, nil) else {
      let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?"
      throw .refusingToReplace(path: path, reason: "it is a symbolic link to \(target), which does not exist")
    }
    defer { free(real) }
    return String(cString: real)
  }

  /// Refuses an output that holds an input (the commit would delete it) or lies inside one (later runs would
  /// read it as input), however either is spelled.
  private static func checkApart(_ destination: String, shownAs name: String, from inputs: [String]) throws(OutputError)
  {
    for input in inputs where input != "-" {
      if PathIdentity.isWithin(input, destination) {
        throw .overlapsInput(path: name, input: input, holdsInput: true)
      }
      if PathIdentity.isWithin(destination, input) {
        throw .overlapsInput(path: name, input: input, holdsInput: false)
      }
    }
  }

  /// Removes what killed runs left beside the destination: `.NAME.partial-PID` staging folders, with their
  /// `.previous` (the old output a commit moved aside) and `.discarded`, once process PID is gone. A live PID keeps
  /// them, even if it was reused by another program. A `.previous` is put back when the destination is missing.
  private static func removeLeftovers(of destination: String, in parent: String, name: String) -> [String] {
    let prefix = "." + name + ".partial-"
    let entries = ((try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? []).filter { $0.hasPrefix(prefix) }
    var notes: [String] = []
    // `.previous` first: the old output goes back in place before anything else is looked at.
    for entry in entries.filter({ $0.hasSuffix(".previous") }) + entries.filter({ !$0.hasSuffix(".previous") }) {
      var digits = entry.dropFirst(prefix.count)
      for suffix in [".previous", ".discarded"] where digits.hasSuffix(suffix) {
        digits = digits.dropLast(suffix.count)
      }
      guard digits.count <= 10, digits.utf8.allSatisfy({ (48...57).contains($0) }), let pid = Int32(digits), pid > 0
      else { continue }
      // Our own PID cannot own it yet: an earlier process with this PID left it.
      guard pid == getpid() || (kill(pid, 0) != 0 && errno == ESRCH) else { continue }
      let path = parent + "/" + entry
      var info = stat()
      guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { continue }
      let whose = ", left by process \(pid), which is no longer running"
      var missing = stat()
      if entry.hasSuffix(".previous"), lstat(destination, &missing) != 0, rename(path, destination) == 0 {
        notes.append("put back \(destination) from \(path)" + whose)
        continue
      }
      do {
        try FileManager.default.removeItem(atPath: path)
        notes.append("removed \(path)" + whose)
      } catch {
        notes.append("could not remove \(path)" + whose + ": \(error.localizedDescription)")
      }
    }
    return notes
  }

  /// Refuses a destination that is a file, a folder this tool did not write, or (without `replace`) an earlier run.
  static func checkReplaceable(_ path: String, replace: Bool) throws(OutputError) {
    let manager = FileManager.default
    var isFolder: ObjCBool = false
    guard manager.fileExists(atPath: path, isDirectory: &isFolder) else { return }
    guard isFolder.boolValue else { throw .refusingToReplace(path: path, reason: "it is a file") }
    let contents = (try? manager.contentsOfDirectory(atPath: path)) ?? []
    if contents.isEmpty { return }
    guard let earlier = EarlierRun(folder: path) else {
      throw .refusingToReplace(path: path, reason: "it is not empty and holds no treasury-report manifest.json")
    }
    if !replace { throw .holdsEarlierRun(path: path, holds: earlier.description) }
  }
}
