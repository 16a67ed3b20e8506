import Foundation

/// The output folder, built in a hidden staging folder beside it and moved into place only when complete.
///
/// A failed run leaves the destination exactly as it was. An existing
/// destination is replaced only if it is empty or was written by this tool.
/// Workers create files concurrently: each `FileSink` is their own, and the
/// list of finished files is guarded by a lock (hence `@unchecked Sendable`).
///
/// With `gzipLevel`, every output made through `output(_:)` is gzipped and
/// named `NAME.gz`; `manifest.json` is always written plain (`write(...,
/// compressed: false)`) so that the folder's index is readable without tools
/// and the folder is recognized as this tool's.
public final class OutputFolder: @unchecked Sendable {
  public let destination: String
  public let staging: String
  /// Deflate level (0…9) for gzipped outputs; nil writes them plain.
  public let gzipLevel: Int32?
  private var committed = false
  /// Folders above the destination this run created, removed again if it fails (deepest first).
  private var createdParents: [String] = []
  private var outputs: [OutputFile] = []
  /// Folders (relative to the staging folder) already made.
  private var madeFolders: Set<String> = [""]
  private let lock = NSLock()

  public init(destination: String, gzipLevel: Int32? = nil) throws(SinkError) {
    self.gzipLevel = gzipLevel
    let trimmed = destination.count > 1 && destination.hasSuffix("/") ? String(destination.dropLast()) : destination
    self.destination = trimmed
    try Self.checkReplaceable(trimmed)
    let url = URL(fileURLWithPath: trimmed)
    let parent = url.deletingLastPathComponent().path
    staging = parent + "/." + url.lastPathComponent + ".partial-" + String(getpid())
    do {
      var missing: [String] = []
      var folder = URL(fileURLWithPath: parent)
      while !FileManager.default.fileExists(atPath: folder.path) {
        missing.append(folder.path)
        folder = folder.deletingLastPathComponent()
      }
      try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
      createdParents = missing
      if FileManager.default.fileExists(atPath: staging) { try FileManager.default.removeItem(atPath: staging) }
      try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: false)
    } catch {
      throw .cannotWrite(path: staging, reason: error.localizedDescription)
    }
  }

  deinit {
    if !committed { discard() }
  }

  /// A new file at `relativePath` inside the staging folder.
  public func file(_ relativePath: String) throws(SinkError) -> FileSink {
    // Thousands of statement files share a few hundred folders: make each folder once.
    let folder = relativePath.lastIndex(of: "/").map { String(relativePath[..<$0]) } ?? ""
    let known = lock.withLock { madeFolders.contains(folder) }
    let sink = try FileSink(path: staging + "/" + relativePath, relativePath: relativePath, foldersExist: known)
    if !known { lock.withLock { _ = madeFolders.insert(folder) } }
    return sink
  }

  /// A new output named `relativePath` (plus `.gz` when the folder gzips its outputs).
  public func output(_ relativePath: String) throws(SinkError) -> OutputWriter {
    let name = gzipLevel == nil ? relativePath : relativePath + ".gz"
    return try OutputWriter(file: file(name), gzipLevel: gzipLevel)
  }

  /// Writes a whole output at once; `compressed: false` keeps it plain even when the folder gzips.
  public func write(_ relativePath: String, _ bytes: [UInt8], rows: Int?, compressed: Bool = true) throws(SinkError) {
    let writer = compressed ? try output(relativePath) : try OutputWriter(file: file(relativePath), gzipLevel: nil)
    do {
      try bytes.withUnsafeBytes { try writer.write($0) }
    } catch let error as SinkError {
      throw error
    } catch {
      throw .cannotWrite(path: writer.path, reason: "\(error)")
    }
    record(try writer.finish(rows: rows))
  }

  /// Notes a finished file for the manifest (safe from several threads).
  public func record(_ file: OutputFile) {
    lock.lock()
    outputs.append(file)
    lock.unlock()
  }

  /// Every file recorded so far, sorted by path.
  public var files: [OutputFile] {
    lock.lock()
    defer { lock.unlock() }
    return outputs.sorted { $0.path < $1.path }
  }

  /// Moves the staging folder into place, replacing an earlier output of this tool.
  public func commit() throws(SinkError) {
    let manager = FileManager.default
    // The destination may have changed while the run worked: check again before moving it aside.
    try Self.checkReplaceable(destination)
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
    committed = true
    if let previous { try? manager.removeItem(atPath: previous) }
  }

  /// Removes the staging folder and any parent folders the run created; the destination is untouched.
  public func discard() {
    guard !committed else { return }
    try? FileManager.default.removeItem(atPath: staging)
    for folder in createdParents { _ = rmdir(folder) }
    createdParents = []
  }

  static func checkReplaceable(_ path: String) throws(SinkError) {
    let manager = FileManager.default
    var isFolder: ObjCBool = false
    guard manager.fileExists(atPath: path, isDirectory: &isFolder) else { return }
    guard isFolder.boolValue else { throw .refusingToReplace(path: path, reason: "it is a file") }
    let contents = (try? manager.contentsOfDirectory(atPath: path)) ?? []
    if contents.isEmpty { return }
    let manifest = path + "/manifest.json"
    guard let data = manager.contents(atPath: manifest),
      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
      object["tool"] as? String == Manifest.toolName
    else {
      throw .refusingToReplace(path: path, reason: "it is not empty and holds no treasury-report manifest.json")
    }
  }
}
