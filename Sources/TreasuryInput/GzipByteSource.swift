import TreasuryZlib

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Decompresses a gzip file as it is read (streaming; memory stays at a few MiB).
///
/// Members that lie whole in the input window (this tool writes 1 MiB of data
/// per member) are decoded in one call by libdeflate, which checks CRC-32 and
/// length. The first member it declines (too large, damaged, cut short) and
/// everything after it go to zlib's streaming `Inflater`, from that member's
/// start, so errors and the bytes delivered before them are zlib's.
package final class GzipByteSource: ByteSource {
  package var path: String { file.path }
  private let file: FileByteSource
  private let inflater: Inflater
  private let input: UnsafeMutableRawBufferPointer
  private var inputStart = 0
  private var inputEnd = 0
  private var fileEnded = false
  private let members = WholeGzipMembers()
  /// Members decoded whole by libdeflate.
  package var wholeMembers: Int { members.count }
  /// The line reader tells us how far it got, for messages about corrupt data.
  package var lastLine = 0

  package init(file: FileByteSource) throws(InputError) {
    self.file = file
    do {
      inflater = try Inflater()
    } catch {
      throw .unreadable(path: file.path, reason: error.message)
    }
    input = .allocate(byteCount: 2 * WholeGzipMembers.inputWindow, alignment: 16)
  }

  deinit { input.deallocate() }

  package func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
    while true {
      if members.hasPending { return members.deliver(into: buffer) }
      // Until the first decline every member starts at a boundary libdeflate left.
      if members.isOn, try decodeWholeMember() { continue }
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

  /// Decodes the member at `inputStart` with libdeflate once the window holds all of it, or returns false.
  private func decodeWholeMember() throws(InputError) -> Bool {
    while !fileEnded && inputEnd - inputStart < WholeGzipMembers.inputWindow {
      // Move the unread input to the front and read more behind it.
      let pending = inputEnd - inputStart
      if inputStart > 0, let base = input.baseAddress {
        if pending > 0 { base.copyMemory(from: base + inputStart, byteCount: pending) }
        inputStart = 0
        inputEnd = pending
      }
      let n = try file.read(into: UnsafeMutableRawBufferPointer(rebasing: input[inputEnd...]))
      if n == 0 { fileEnded = true }
      inputEnd += n
    }
    let window = UnsafeRawBufferPointer(rebasing: input[inputStart..<inputEnd])
    guard let consumed = members.decode(window, countingIn: inflater) else { return false }
    inputStart += consumed
    return true
  }
}
