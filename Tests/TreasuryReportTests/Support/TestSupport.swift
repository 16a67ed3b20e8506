import Foundation
import Testing

@testable import TreasuryInput
@testable import TreasuryJob
@testable import TreasuryLedger

/// Paths and helpers shared by the tests.
enum TestSupport {
  /// The package root, found from this file's path.
  static let root: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  static let samples = root.appendingPathComponent("samples").path

  /// Where `swift build` put the executables (beside the running test bundle).
  static let binaries: URL = {
    let exe = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? "")
    var folder = exe.deletingLastPathComponent()
    for _ in 0..<3 {
      if FileManager.default.fileExists(atPath: folder.appendingPathComponent("treasury-report").path) { return folder }
      folder = folder.deletingLastPathComponent()
    }
    return root.appendingPathComponent(".build/debug")
  }()

  /// A new empty folder, removed when the returned object is released.
  final class TemporaryFolder {
    let path: String

    init() {
      path = NSTemporaryDirectory() + "treasury-report-tests-" + UUID().uuidString
      try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }

    @discardableResult
    func write(_ name: String, _ text: String) -> String {
      let full = file(name)
      try? FileManager.default.createDirectory(
        atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
      _ = FileManager.default.createFile(atPath: full, contents: Data(text.utf8))
      return full
    }
  }

  struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// Runs one of the package's executables (or any program by absolute path).
  static func run(
    _ program: String, _ arguments: [String], cwd: String? = nil, stdin: Data? = nil,
    environment: [String: String]? = nil
  ) throws -> Run {
    let process = Process()
    process.executableURL =
      program.hasPrefix("/") ? URL(fileURLWithPath: program) : binaries.appendingPathComponent(program)
    process.arguments = arguments
    if let environment { process.environment = environment }
    if let cwd { process.currentDirectoryURL = URL(fileURLWithPath: cwd) }
    let out = Pipe()
    // Standard error goes to a file, so a child that fills it while stdout is being read never blocks.
    let errPath = NSTemporaryDirectory() + "treasury-test-stderr-\(UUID().uuidString)"
    guard FileManager.default.createFile(atPath: errPath, contents: nil) else {
      throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: errPath])
    }
    defer { try? FileManager.default.removeItem(atPath: errPath) }
    let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
    defer { try? err.close() }
    let input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    try process.run()
    if let stdin { input.fileHandleForWriting.write(stdin) }
    try input.fileHandleForWriting.close()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let errData = FileManager.default.contents(atPath: errPath) ?? Data()
    return Run(
      status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self))
  }

  /// Generates a synthetic dump with `treasury-gen`.
  static func generate(into folder: String, _ arguments: [String]) throws {
    let result = try run("treasury-gen", ["--out", folder] + arguments)
    #expect(result.status == 0, "treasury-gen failed: \(result.stderr)")
  }

  /// Every file under `folder`, relative path → bytes.
  static func tree(_ folder: String) -> [String: Data] {
    var files: [String: Data] = [:]
    guard let walker = FileManager.default.enumerator(atPath: folder) else { return files }
    while let relative = walker.nextObject() as? String {
      var isFolder: ObjCBool = false
      let path = folder + "/" + relative
      if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue {
        files[relative] = FileManager.default.contents(atPath: path)
      }
    }
    return files
  }

  static func text(_ path: String) -> String {
    String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
  }

  /// Parses RFC 4180 CSV (quoted cells, doubled quotes, CRLF) into rows of cells.
  static func csv(_ text: String) -> [[String]] {
    var rows: [[String]] = []
    var row: [String] = []
    var cell = ""
    var quoted = false
    var chars = Array(text.unicodeScalars)[...]
    while let c = chars.popFirst() {
      if quoted {
        if c == "\"" {
          if chars.first == "\"" {
            cell.unicodeScalars.append("\"")
            chars = chars.dropFirst()
          } else {
            quoted = false
          }
        } else {
          cell.unicodeScalars.append(c)
        }
      } else if c == "\"" {
        quoted = true
      } else if c == "," {
        row.append(cell)
        cell = ""
      } else if c == "\r" {
        continue
      } else if c == "\n" {
        row.append(cell)
        rows.append(row)
        row = []
        cell = ""
      } else {
        cell.unicodeScalars.append(c)
      }
    }
    if !cell.isEmpty || !row.isEmpty {
      row.append(cell)
      rows.append(row)
    }
    return rows
  }

  /// CSV rows as dictionaries keyed by the header.
  static func records(_ path: String) -> [[String: String]] {
    let rows = csv(text(path))
    guard let header = rows.first else { return [] }
    return rows.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
  }
}

/// Reads JSON-lines text through the real reader into a store, for tests.
func readDump(
  _ text: String, name: String = "dump.jsonl"
) throws -> (store: LedgerStore, invalid: [InvalidLine]) {
  let folder = TestSupport.TemporaryFolder()
  let path = folder.write(name, text)
  var store = LedgerStore()
  var invalid: [InvalidLine] = []
  var reader = DumpFileReader()
  let kind = InputFile.kind(of: name) ?? (.jsonLines, false)
  _ = try reader.read(
    InputFile(path: path, format: kind.format, gzip: kind.gzip, account: ""), index: 0, into: &store,
    invalid: &invalid)
  return (store, invalid)
}
