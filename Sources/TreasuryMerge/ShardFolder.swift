import Foundation
import TreasuryArchive
import TreasuryInput
@_spi(Inlining) import TreasuryModel
import TreasuryOutput

/// One shard's output folder, as `merge` reads it: its manifest and the shard it says it is.
struct ShardFolder {
  /// Where the folder is on disk.
  let path: String
  /// How the user named it (a path or a storage URL), for messages and `merged_from`.
  let shown: String
  let manifest: Manifest
  /// The manifest's `shard`; an unsharded run's folder is shard 0/1.
  let shard: Shard

  /// Reads `path`'s manifest; a folder that is not this tool's output is a mismatch.
  init(path: String, shownAs shown: String) throws(MergeError) {
    self.path = path
    self.shown = shown
    let bytes: Data
    do { bytes = try Data(contentsOf: URL(fileURLWithPath: path + "/manifest.json")) } catch {
      throw .mismatch(
        "\(shown): error: no manifest.json: not an output folder of treasury-report statements (name the folders that statements --shard K/N wrote)"
      )
    }
    do { manifest = try JSONDecoder().decode(Manifest.self, from: bytes) } catch {
      throw .invalidShard("\(shown)/manifest.json: error: not a statements manifest: \(error)")
    }
    if let text = manifest.shard {
      guard let shard = Shard(text) else {
        throw .invalidShard("\(shown)/manifest.json: error: shard '\(text)' is not \(Shard.expectedForm)")
      }
      self.shard = shard
    } else {
      shard = .whole
    }
  }

  /// The positions of this shard's inputs in the unsharded run's list (all of them for an unsharded folder).
  var inputPositions: [Int] { manifest.shardInputs ?? Array(manifest.inputs.indices) }

  /// The output `name` (`summary.csv`) as listed, plain or gzipped, if the shard wrote it.
  func output(_ name: String) -> OutputFile? {
    manifest.outputs.first { $0.path == name || $0.path == name + ".gz" }
  }

  /// The content of `file` (decompressed when gzipped), checked against the manifest's digest.
  func content(_ file: OutputFile) throws(MergeError) -> [UInt8] {
    let location = path + "/" + file.path
    let shownPath = shown + "/" + file.path
    do throws(InputError) {
      let raw = try FileByteSource(path: location, hashing: true, shownAs: shownPath)
      let source: ByteSource = file.contentSHA256 != nil ? try GzipByteSource(file: raw) : raw
      var bytes: [UInt8] = []
      let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 16)
      defer { buffer.deallocate() }
      while true {
        let n = try source.read(into: buffer)
        if n == 0 { break }
        bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
      }
      guard raw.finalizeDigest() == file.sha256 else {
        throw InputError.unreadable(path: shownPath, reason: "it changed after verify read it")
      }
      return bytes
    } catch {
      throw .unreadable(path: shownPath, reason: error.message)
    }
  }
}
