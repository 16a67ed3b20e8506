import TreasuryInput
import TreasuryZlib

/// Decompresses a gzip file for `verify` so that a fault can be placed: every byte before it is delivered first.
///
/// zlib checks a member's CRC-32 and length in the same call that produces
/// the member's last data, and a failing call hands back nothing. So input
/// goes to zlib in small steps, and the file's last 8 bytes (the trailer) on
/// their own: the tar reader above sees all data that decoded, hashes the
/// members it completes, and names the one the fault fell in. A damaged
/// trailer then fails only after every member was read. Like `GzipByteSource`
/// (which reads dumps fast, in large steps) it rejects bytes after the last
/// member, through the same `Inflater` checks.
///
/// A member that lies whole in the input window (this tool's members hold
/// 1 MiB of data) is decoded in one call by libdeflate instead, which checks
/// its CRC-32 and length, in about a third of zlib's instructions. Whatever it
/// declines (a member too large for the buffers, or damaged) zlib reads again
/// from the member's start, in steps as above, so faults are reported as
/// before; after one decline the rest of the file goes to zlib, so a file of
/// large members from another writer costs at most one wasted attempt.
///
/// Each member's 10-byte header is also checked against the one this tool
/// writes (no flags, mtime 0, OS 255, one compression level per file): no CRC
/// covers those bytes, so a changed mtime or OS byte would otherwise go
/// unnoticed. Deviations are collected in `headerFindings`, not thrown, so
/// that the members' contents are still compared.
package final class StrictGzipSource: ByteSource {
  /// Input handed to zlib per call.
  static let step = 4096
  static let trailer = 8

  package var path: String { file.path }
  private let file: FileByteSource
  private let inflater: Inflater
  private let input: UnsafeMutableRawBufferPointer
  private var start = 0
  private var end = 0
  private var fileEnded = false
  private var expectHeader = true
  private var firstExtraFlags: UInt8?
  private let members = WholeGzipMembers()
  /// Members decoded whole by libdeflate (the rest went through zlib).
  package var wholeMembers: Int { members.count }
  /// Members whose header is not the canonical one: the header's byte offset and what differs; the first
  /// `headerFindingLimit`, the rest only counted (a file of many tiny members would otherwise fill memory).
  package private(set) var headerFindings: [(offset: Int, detail: String)] = []
  package private(set) var omittedHeaderFindings = 0
  static let headerFindingLimit = 100
  /// True once the whole file was read and its last member ended.
  package private(set) var complete = false

  package init(file: FileByteSource) throws(InputError) {
    self.file = file
    do {
      inflater = try Inflater()
    } catch {
      throw .unreadable(path: file.path, reason: error.message)
    }
    // Twice the window, so that a refill moves at most one window's worth forward.
    input = .allocate(byteCount: 2 * WholeGzipMembers.inputWindow, alignment: 16)
  }

  deinit { input.deallocate() }

  package func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
    while true {
      if members.hasPending { return members.deliver(into: buffer) }
      if expectHeader, members.isOn, try decodeWholeMember() { continue }
      if !fileEnded && end - start <= Self.trailer + Self.step { try refill() }
      // The last 8 bytes go alone, after everything before them.
      var feedable = max(0, end - start - Self.trailer)
      if feedable == 0 && fileEnded { feedable = end - start }
      if feedable == 0 {
        if fileEnded {
          do {
            try inflater.checkEnd()
          } catch {
            throw .corruptGzip(path: path, line: 0, reason: error.message)
          }
          complete = true
          return 0
        }
        continue
      }
      if expectHeader {
        if end - start < 10 && !fileEnded {
          try refill()
          continue
        }
        checkHeader()
        expectHeader = false
      }
      let chunk = UnsafeRawBufferPointer(rebasing: input[start..<(start + min(Self.step, feedable))])
      let result: (consumed: Int, produced: Int, memberEnded: Bool)
      do {
        result = try inflater.inflate(input: chunk, output: buffer)
      } catch {
        throw .corruptGzip(path: path, line: 0, reason: error.message)
      }
      if result.memberEnded { expectHeader = true }
      start += result.consumed
      if result.produced > 0 { return result.produced }
      if result.consumed == 0 && !result.memberEnded {
        throw .corruptGzip(path: path, line: 0, reason: "no progress")
      }
    }
  }

  /// Decodes the member at `start` with libdeflate once the window holds all of it, or returns false (and zlib reads
  /// it). Its header is checked as zlib's members are.
  private func decodeWholeMember() throws(InputError) -> Bool {
    while !fileEnded && end - start < WholeGzipMembers.inputWindow { try refill() }
    let window = UnsafeRawBufferPointer(rebasing: input[start..<end])
    guard let consumed = members.decode(window, countingIn: inflater) else { return false }
    checkHeader()
    start += consumed
    return true
  }

  /// Notes how the header at `start` differs from `1f 8b 08 00 00000000 xfl ff` (zlib reports real corruption).
  private func checkHeader() {
    let available = end - start
    guard available >= 10 else { return }
    let h = UnsafeRawBufferPointer(rebasing: input[start..<(start + 10)])
    guard h[0] == 0x1F, h[1] == 0x8B, h[2] == 8 else { return }
    var differences: [String] = []
    if h[3] != 0 { differences.append("flags \(h[3])") }
    let mtime = UInt32(h[4]) | UInt32(h[5]) << 8 | UInt32(h[6]) << 16 | UInt32(h[7]) << 24
    if mtime != 0 { differences.append("mtime \(mtime)") }
    if let first = firstExtraFlags, first != h[8] {
      differences.append("extra flags \(h[8]) where the first member has \(first)")
    }
    if firstExtraFlags == nil { firstExtraFlags = h[8] }
    if h[9] != 255 { differences.append("OS \(h[9])") }
    if !differences.isEmpty {
      let offset = file.bytesRead - available
      if headerFindings.count < Self.headerFindingLimit {
        headerFindings.append((offset, differences.joined(separator: ", ")))
      } else {
        omittedHeaderFindings += 1
      }
    }
  }

  /// Moves the unread input to the front and reads more behind it.
  private func refill() throws(InputError) {
    let pending = end - start
    if start > 0 {
      if pending > 0, let base = input.baseAddress { base.copyMemory(from: base + start, byteCount: pending) }
      start = 0
      end = pending
    }
    let n = try file.read(into: UnsafeMutableRawBufferPointer(rebasing: input[end...]))
    if n == 0 { fileEnded = true }
    end += n
  }
}
