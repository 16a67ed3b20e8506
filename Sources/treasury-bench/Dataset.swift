import Foundation

/// A generated dump in the benchmark cache, made once by `treasury-gen` and reused.
struct Dataset {
  var name: String
  var path: String
  var generatorArguments: [String]

  /// The benchmark's reference size: 100 connected accounts, 12 months, 1,000 transactions per account-month.
  static func scaled(_ scale: Double, cache: String) -> Dataset {
    let accounts = Int((100 * scale).rounded())
    return Dataset(
      name: "\(format(scale))×", path: cache + "/dump-\(accounts)-accounts",
      generatorArguments: ["--accounts", String(accounts), "--months", "12", "--transactions-per-month", "1000"])
  }

  /// The data at `scale` as one file with every account's objects interleaved.
  static func mixed(_ scale: Double, cache: String) -> Dataset {
    var dataset = scaled(scale, cache: cache)
    dataset.name += " in one mixed file"
    dataset.path += "-mixed"
    dataset.generatorArguments += ["--layout", "mixed"]
    return dataset
  }

  /// Generates the dataset unless the cache already holds it (made with the same arguments).
  func ensure(generator: String) -> Bool {
    let stamp = path + "/.generated-with"
    let wanted = generatorArguments.joined(separator: " ")
    if (try? String(contentsOfFile: stamp, encoding: .utf8)) == wanted { return true }
    try? FileManager.default.removeItem(atPath: path)
    print("generating \(name) dataset in \(path) …")
    guard Measurement.run([generator, "--out", path] + generatorArguments) != nil else { return false }
    return (try? wanted.write(toFile: stamp, atomically: true, encoding: .utf8)) != nil
  }

  /// Bytes of input (every dump file).
  var bytes: Int {
    guard let walker = FileManager.default.enumerator(atPath: path) else { return 0 }
    var total = 0
    while let name = walker.nextObject() as? String {
      guard name.hasSuffix(".jsonl") else { continue }
      total += (try? FileManager.default.attributesOfItem(atPath: path + "/" + name)[.size] as? Int) ?? 0
    }
    return total
  }

  /// Reads every file once so that timed runs start from a warm page cache.
  func warm() {
    guard let walker = FileManager.default.enumerator(atPath: path) else { return }
    while let name = walker.nextObject() as? String {
      guard name.hasSuffix(".jsonl") else { continue }
      if let handle = FileHandle(forReadingAtPath: path + "/" + name) {
        while let chunk = try? handle.read(upToCount: 1 << 24), !chunk.isEmpty {}
        try? handle.close()
      }
    }
  }

  static func format(_ scale: Double) -> String {
    scale == scale.rounded() ? String(Int(scale)) : String(scale)
  }
}
