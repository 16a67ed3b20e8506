import TreasuryZlib

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Decompresses a gzip file as it is read (streaming; memory stays at two small buffers).
package final class GzipByteSource: ByteSource {
  package var path: String { file.path }
  private let file: FileByteSource
  private let inflater: Inflater
  private let input: UnsafeMutableRawBufferPointer
  private var inputStart = 0
  private var inputEnd = 0
  private var fileEnded = false
  /// The line reader tells us how far it got, for messages about corrupt data.
  package var lastLine = 0

  package init(file: FileByteSource) throws(InputError) {
    self.file = file
    do {
      inflater = try Inflater()
    } catch {
      throw .unreadable(path: file.path, reason: error.message)
    }
    input = .allocate(byteCount: 256 * 1024, alignment: 16)
  }

  deinit { input.deallocate() }

  package func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
    while true {
      if inputStart == inputEnd && !fileEnded {
        inputStart = 0
        inputEnd = try file.read(into: input)
        if inputEnd == 0 { fileEnded = true }
      }
      if inputStart == inputEnd && fileEnded {
        do {
          try inflater.checkEnd()
        } catch {
          throw .corruptGzip(path: path, line: lastLine, reason: error.message)
        }
        return 0
      }
      let pending = UnsafeRawBufferPointer(rebasing: input[inputStart..<inputEnd])
      let result: (consumed: Int, produced: Int, memberEnded: Bool)
      do {
        result = try inflater.inflate(input: pending, output: buffer)
      } catch {
        throw .corruptGzip(path: path, line: lastLine, reason: error.message)
      }
      inputStart += result.consumed
      if result.produced > 0 { return result.produced }
      if result.consumed == 0 && inputStart < inputEnd && !result.memberEnded {
        // zlib wants more input than this buffer can show it; cannot happen
        // with a 256 KiB buffer and a valid stream.
        throw .corruptGzip(path: path, line: lastLine, reason: "no progress")
      }
    }
  }
}
