import TreasuryInput

/// Reads a tar stream strictly, member by member, for `verify`.
///
/// Accepts what `TarWriter`, GNU tar and Python's `tarfile` write (ustar,
/// pax `x`/`g` headers, GNU long names) and checks what a reader usually
/// forgives: every header's checksum, data and padding present in full,
/// zero padding, the two zero blocks that end the archive, and nothing but
/// zeros after them. Data streams through `read(into:)`; memory stays at one
/// buffer plus the pending extended header.
package final class TarReader {
  /// One member's header, with pax and GNU long names applied.
  package struct Member: Sendable {
    package var path: String
    package var size: Int
    package var typeflag: UInt8
    /// Every byte before the member's data (extended headers included), to compare with what the writer makes.
    package var header: [UInt8] = []
    /// Where its (first) header starts in the tar stream.
    package var offset: Int

    package var isFile: Bool { typeflag == TarHeader.TypeFlag.file || typeflag == TarHeader.TypeFlag.oldFile }
    package var isDirectory: Bool { typeflag == TarHeader.TypeFlag.directory }
  }

  /// Extended headers larger than this are refused (a real one holds a path or two; the buffer must hold it whole).
  /// It also bounds all the extended headers before one member together (header blocks included), which the
  /// reader keeps until the member.
  static let extendedLimit = 64 * 1024
  /// The longest member name read (PATH_MAX); this tool's names are a few dozen bytes.
  package static let nameLimit = 4096

  private let source: ByteSource
  private var buffer: UnsafeMutableRawBufferPointer
  private var start = 0
  private var end = 0
  private var sourceEnded = false
  /// Bytes of the tar stream consumed so far.
  package private(set) var offset = 0
  /// Where the end-of-archive marker starts, once it is read.
  package private(set) var endMarker: Int?
  /// The member whose data is being read, or the last one read.
  package private(set) var current: Member?
  private var remaining = 0
  private var reachedEnd = false

  package init(source: ByteSource, bufferSize: Int = 256 * 1024) {
    self.source = source
    buffer = .allocate(byteCount: max(bufferSize, 4 * TarHeader.blockSize), alignment: 16)
  }

  deinit { buffer.deallocate() }

  /// The next member, skipping whatever data of the last one was not read; nil after the end-of-archive marker.
  package func next() throws(TarError) -> Member? {
    guard !reachedEnd else { return nil }
    if current != nil { try skipData() }
    var paxPath: String? = nil
    var paxSize: Int? = nil
    var longName: String? = nil
    var header: [UInt8] = []
    var extendedBytes = 0
    let after = current?.path
    while true {
      let headerOffset = offset
      guard try fill(TarHeader.blockSize) else {
        if available == 0 { throw .missingEndMarker(after: after) }
        throw .truncatedHeader(offset: headerOffset, after: after)
      }
      let block = UnsafeRawBufferPointer(rebasing: buffer[start..<(start + TarHeader.blockSize)])
      if TarHeader.isZero(block) {
        consume(TarHeader.blockSize)
        guard try fill(TarHeader.blockSize) else { throw .missingEndMarker(after: after) }
        let second = UnsafeRawBufferPointer(rebasing: buffer[start..<(start + TarHeader.blockSize)])
        guard TarHeader.isZero(second) else {
          throw .badHeader(
            offset: headerOffset, after: after, detail: "a single zero block in the middle of the archive")
        }
        consume(TarHeader.blockSize)
        reachedEnd = true
        endMarker = headerOffset
        return nil
      }
      guard TarHeader.checksumMatches(block) else {
        let name = TarHeader.path(block)
        let readable = !name.isEmpty && name.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
        throw .badChecksum(
          offset: headerOffset, after: after, name: readable ? String(decoding: name, as: UTF8.self) : nil)
      }
      guard TarHeader.hasKnownMagic(block) else {
        throw .badHeader(offset: headerOffset, after: after, detail: "not a ustar, pax or GNU tar header")
      }
      guard let size = TarHeader.number(block, 124, 12) else {
        throw .badHeader(offset: headerOffset, after: after, detail: "the size field is not a number")
      }
      let typeflag = block[156]
      let headerPath = String(decoding: TarHeader.path(block), as: UTF8.self)
      header += block
      consume(TarHeader.blockSize)

      if [
        TarHeader.TypeFlag.paxExtended, TarHeader.TypeFlag.paxGlobal, TarHeader.TypeFlag.gnuLongName,
        TarHeader.TypeFlag.gnuLongLink,
      ].contains(typeflag) {
        // Header blocks count too: empty extended headers would otherwise pile up without limit.
        extendedBytes += TarHeader.blockSize + size
        guard extendedBytes <= Self.extendedLimit else {
          throw .badExtendedHeader(
            member: after, detail: "more than 64 KiB of extended headers before one member (at byte \(headerOffset))")
        }
      }
      switch typeflag {
      case TarHeader.TypeFlag.paxExtended, TarHeader.TypeFlag.paxGlobal:
        let data = try extended(size, name: headerPath)
        header += data
        let rest = data.count % TarHeader.blockSize
        if rest != 0 { header += [UInt8](repeating: 0, count: TarHeader.blockSize - rest) }
        let records = try Self.parsePax(data, member: after)
        // Global headers apply to every later member; this tool does not write
        // them and only `path`/`size` matter here, so they are read and set aside.
        if typeflag == TarHeader.TypeFlag.paxExtended {
          if let path = records["path"] { paxPath = path }
          if let text = records["size"] {
            guard let value = Int(text), value >= 0 else {
              throw .badExtendedHeader(member: after, detail: "size '\(text)' is not a number")
            }
            paxSize = value
          }
        }
      case TarHeader.TypeFlag.gnuLongName:
        let data = try extended(size, name: headerPath)
        longName = String(decoding: data.prefix { $0 != 0 }, as: UTF8.self)
      case TarHeader.TypeFlag.gnuLongLink:
        _ = try extended(size, name: headerPath)
      default:
        let path = paxPath ?? longName ?? headerPath
        guard path.utf8.count <= Self.nameLimit else {
          throw .badExtendedHeader(
            member: after, detail: "a member name of \(path.utf8.count) bytes; names are at most \(Self.nameLimit)")
        }
        let dataSize = paxSize ?? size
        // Only regular files carry data here; a header size on a link or a
        // folder is ignored by tar, so it is by this reader too.
        var member = Member(path: path, size: dataSize, typeflag: typeflag, offset: headerOffset)
        member.header = header
        current = member
        remaining = member.isFile || typeflag == UInt8(ascii: "7") ? dataSize : 0
        return member
      }
    }
  }

  /// Reads the current member's data into `into`; 0 when it is all read (its padding is then checked).
  package func read(into output: UnsafeMutableRawBufferPointer) throws(TarError) -> Int {
    guard let member = current, remaining > 0, output.count > 0 else { return 0 }
    if start == end {
      guard try refill() else {
        throw .truncatedData(member: member.path, expected: member.size, found: member.size - remaining)
      }
    }
    let n = min(remaining, end - start, output.count)
    UnsafeMutableRawBufferPointer(rebasing: output[0..<n]).copyMemory(
      from: UnsafeRawBufferPointer(rebasing: buffer[start..<(start + n)]))
    consume(n)
    remaining -= n
    if remaining == 0 { try checkPadding(member.size, member: member.path) }
    return n
  }

  /// After the end-of-archive marker: reads the rest of the stream (so a gzip
  /// layer checks its trailer) and requires it to be zeros.
  package func finish() throws(TarError) {
    while true {
      if start == end {
        guard try refill() else { return }
      }
      let chunk = UnsafeRawBufferPointer(rebasing: buffer[start..<end])
      if let i = chunk.firstIndex(where: { $0 != 0 }) { throw .trailingData(offset: offset + i) }
      consume(end - start)
    }
  }

  // MARK: Buffer

  private var available: Int { end - start }

  private func consume(_ n: Int) {
    start += n
    offset += n
  }

  /// Makes at least `n` bytes available; false when the stream ends first.
  private func fill(_ n: Int) throws(TarError) -> Bool {
    while available < n {
      if start > 0 {
        // The regions may overlap; copyMemory moves like memmove.
        if available > 0, let base = buffer.baseAddress { base.copyMemory(from: base + start, byteCount: available) }
        end = available
        start = 0
      }
      guard try refill(appending: true) else { return false }
    }
    return true
  }

  /// Reads more from the source; without `appending`, only when the buffer is empty.
  private func refill(appending: Bool = false) throws(TarError) -> Bool {
    if sourceEnded { return false }
    if !appending {
      start = 0
      end = 0
    }
    let space = UnsafeMutableRawBufferPointer(rebasing: buffer[end...])
    let n: Int
    do {
      n = try source.read(into: space)
    } catch {
      throw .source(error, member: current?.path, inside: remaining > 0)
    }
    if n == 0 {
      sourceEnded = true
      return false
    }
    end += n
    return true
  }

  private func skipData() throws(TarError) {
    guard let member = current else { return }
    while remaining > 0 {
      if start == end {
        guard try refill() else {
          throw .truncatedData(member: member.path, expected: member.size, found: member.size - remaining)
        }
      }
      let n = min(remaining, end - start)
      consume(n)
      remaining -= n
      if remaining == 0 { try checkPadding(member.size, member: member.path) }
    }
  }

  private func checkPadding(_ size: Int, member: String) throws(TarError) {
    let rest = size % TarHeader.blockSize
    guard rest != 0 else { return }
    let padding = TarHeader.blockSize - rest
    guard try fill(padding) else {
      throw .truncatedData(member: member, expected: size, found: size)
    }
    if !UnsafeRawBufferPointer(rebasing: buffer[start..<(start + padding)]).allSatisfy({ $0 == 0 }) {
      throw .nonzeroPadding(member: member)
    }
    consume(padding)
  }

  /// The data of an extended header (pax or GNU long name), whole, with its padding checked.
  private func extended(_ size: Int, name: String) throws(TarError) -> [UInt8] {
    guard size <= Self.extendedLimit else {
      throw .badExtendedHeader(member: current?.path, detail: "\(size) bytes is more than an extended header holds")
    }
    guard try fill(size) else { throw .truncatedData(member: name, expected: size, found: available) }
    let data = Array(buffer[start..<(start + size)])
    consume(size)
    try checkPadding(size, member: name)
    return data
  }

  /// Parses pax records (`LENGTH KEY=VALUE\n`).
  static func parsePax(_ data: [UInt8], member: String?) throws(TarError) -> [String: String] {
    var records: [String: String] = [:]
    var i = 0
    while i < data.count {
      guard let space = data[i...].firstIndex(of: 0x20),
        let length = Int(String(decoding: data[i..<space], as: UTF8.self)), length > space - i,
        i + length <= data.count, data[i + length - 1] == 0x0A
      else {
        throw .badExtendedHeader(member: member, detail: "a pax record at byte \(i) is malformed")
      }
      let record = data[(space + 1)..<(i + length - 1)]
      guard let equals = record.firstIndex(of: UInt8(ascii: "=")) else {
        throw .badExtendedHeader(member: member, detail: "a pax record at byte \(i) has no '='")
      }
      records[String(decoding: record[..<equals], as: UTF8.self)] = String(
        decoding: record[(equals + 1)...], as: UTF8.self)
      i += length
    }
    return records
  }
}
