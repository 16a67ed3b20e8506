import Foundation

/// One timed run of a command: wall and CPU seconds and peak resident memory, as `/usr/bin/time` reports them.
struct Measurement {
  var wall: Double
  var user: Double
  var system: Double
  /// Peak resident set size in bytes.
  var peakRSS: Int

  /// CPU seconds per wall second: 2.0 means both cores were busy throughout.
  var coresBusy: Double { wall > 0 ? (user + system) / wall : 0 }

  /// Runs `arguments` under `/usr/bin/time`, standard output into `stdout` (else discarded); nil (with the reason
  /// printed) when it fails.
  static func run(_ arguments: [String], stdout: String? = nil) -> Measurement? {
    let timing = NSTemporaryDirectory() + "treasury-bench-time-\(UUID().uuidString)"
    defer { try? FileManager.default.removeItem(atPath: timing) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/time")
    process.arguments = ["-o", timing, "-f", "%e %U %S %M"] + arguments
    let errors = Pipe()
    process.standardError = errors
    var written: FileHandle?
    defer { try? written?.close() }
    if let stdout {
      guard FileManager.default.createFile(atPath: stdout, contents: nil),
        let handle = FileHandle(forWritingAtPath: stdout)
      else {
        print("cannot write \(stdout)")
        return nil
      }
      process.standardOutput = handle
      written = handle
    } else {
      process.standardOutput = FileHandle.nullDevice
    }
    do { try process.run() } catch {
      print("cannot start \(arguments.first ?? ""): \(error)")
      return nil
    }
    let stderr = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      print("\(arguments.joined(separator: " ")) exited \(process.terminationStatus):")
      print(String(decoding: stderr.suffix(2000), as: UTF8.self))
      return nil
    }
    let fields =
      (try? String(contentsOfFile: timing, encoding: .utf8))?
      .split(whereSeparator: \.isWhitespace).compactMap { Double($0) } ?? []
    guard fields.count >= 4 else { return nil }
    return Measurement(wall: fields[0], user: fields[1], system: fields[2], peakRSS: Int(fields[3]) * 1024)
  }

  /// The trimmed standard output of a command found on PATH; nil when it cannot run or fails.
  static func output(of arguments: [String]) -> String? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return nil }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { return nil }
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// The run with the median wall time.
  static func median(_ runs: [Measurement]) -> Measurement? {
    let sorted = runs.sorted { $0.wall < $1.wall }
    return sorted.isEmpty ? nil : sorted[sorted.count / 2]
  }
}
