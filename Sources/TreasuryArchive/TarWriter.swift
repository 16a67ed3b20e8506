@_spi(Inlining) import TreasuryModel

/// Writes a reproducible tar stream (POSIX ustar, with pax extended headers only where ustar cannot say it).
///
/// Every member is a regular file with mode 0644, uid and gid 0, no user or
/// group names and mtime 0, so the bytes depend only on the members'
/// paths and contents, in the order the caller adds them. Paths up to 255
/// bytes use ustar's prefix and name fields; longer or non-ASCII paths and
/// sizes of 8 GiB or more get a pax `x` header (`path`, `size`) first, named
/// `././@PaxHeader` as Python's `tarfile` names it. The archive ends with two
/// zero blocks and is padded to whole 10 KiB records, as GNU tar and Python do.
///
/// Members stream: `begin` declares the size, `write` passes data through in
/// pieces, `end` pads the last block. Nothing is held beyond one header.
package final class TarWriter {
  package static let recordSize = 10_240
  private let target: RenderTarget
  private var member: String?
  private var declared = 0
  private var written = 0
  private var total = 0
  private var finished = false

  package init(into target: RenderTarget) {
    self.target = target
  }

  /// Starts a member of exactly `size` bytes at `path` (relative, `/`-separated).
  package func begin(path: String, size: Int) throws(TarError) {
    guard member == nil, !finished else { throw TarError.misuse("tar member \(path) begun before the last one ended") }
    guard size >= 0, !path.isEmpty, !path.hasPrefix("/") else {
      throw TarError.misuse("tar member path '\(path)' or size \(size) is not valid")
    }
    try emit(Self.header(path: path, size: size))
    member = path
    declared = size
    written = 0
  }

  /// Passes data of the open member through.
  package func write(_ bytes: UnsafeRawBufferPointer) throws(TarError) {
    guard let member else { throw TarError.misuse("tar data written with no member open") }
    guard written + bytes.count <= declared else {
      throw TarError.sizeMismatch(member: member, declared: declared, written: written + bytes.count)
    }
    written += bytes.count
    total += bytes.count
    do { try target.write(bytes) } catch { throw .output(error) }
  }

  /// Counts `count` bytes of the open member's data that the caller wrote to the stream below in another form
  /// (a compressed member copied as it is).
  package func account(_ count: Int) throws(TarError) {
    guard let member else { throw TarError.misuse("tar data accounted with no member open") }
    guard written + count <= declared else {
      throw TarError.sizeMismatch(member: member, declared: declared, written: written + count)
    }
    written += count
    total += count
  }

  /// Ends the open member, padding its data to a whole block.
  package func end() throws(TarError) {
    guard let member else { throw TarError.misuse("tar member ended with none open") }
    guard written == declared else { throw TarError.sizeMismatch(member: member, declared: declared, written: written) }
    try pad(written)
    self.member = nil
  }

  /// Adds a whole member held in memory.
  package func add(path: String, _ bytes: [UInt8]) throws(TarError) {
    try begin(path: path, size: bytes.count)
    try bytes.withTypedBytes { (raw) throws(TarError) in try write(raw) }
    try end()
  }

  /// Writes the end-of-archive marker (two zero blocks) and pads to a whole record.
  package func finish() throws(TarError) {
    if let member { throw TarError.misuse("tar archive finished while member \(member) is open") }
    guard !finished else { return }
    finished = true
    var length = 2 * TarHeader.blockSize
    let rest = (total + length) % Self.recordSize
    if rest != 0 { length += Self.recordSize - rest }
    try emit([UInt8](repeating: 0, count: length))
  }

  /// Every byte written before a member's data: a pax header and its padded records when ustar cannot
  /// hold the path or size, then the ustar header. `verify` compares archives against exactly these bytes.
  package static func header(path: String, size: Int) -> [UInt8] {
    let bytes = Array(path.utf8)
    let ascii = bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    var records: [(String, String)] = []
    var fields = ascii ? TarHeader.split(bytes) : nil
    if fields == nil {
      records.append(("path", path))
      fields = ([], Array(bytes.prefix(100)))
    }
    var headerSize = size
    if size > TarHeader.maxOctalSize {
      records.append(("size", String(size)))
      headerSize = 0
    }
    var out: [UInt8] = []
    if !records.isEmpty {
      let pax = paxRecords(records)
      out += TarHeader.build(
        name: Array("././@PaxHeader".utf8), prefix: [], size: pax.count, mtime: 0,
        typeflag: TarHeader.TypeFlag.paxExtended)
      out += pax
      let rest = pax.count % TarHeader.blockSize
      if rest != 0 { out += [UInt8](repeating: 0, count: TarHeader.blockSize - rest) }
    }
    let (prefix, name) = fields ?? ([], [])
    out += TarHeader.build(
      name: name, prefix: prefix, size: headerSize, mtime: 0, typeflag: TarHeader.TypeFlag.file)
    return out
  }

  /// pax records, each `LENGTH KEY=VALUE\n` where LENGTH counts the whole record including its own digits.
  static func paxRecords(_ records: [(String, String)]) -> [UInt8] {
    var out: [UInt8] = []
    for (key, value) in records {
      let body = " \(key)=\(value)\n".utf8.count
      var length = body + String(body).count
      if String(length).count + body != length { length = body + String(length).count }
      out += Array("\(length) \(key)=\(value)\n".utf8)
    }
    return out
  }

  private func emit(_ bytes: [UInt8]) throws(TarError) {
    total += bytes.count
    do { try bytes.withTypedBytes { (raw) throws(OutputError) in try target.write(raw) } } catch {
      throw .output(error)
    }
  }

  private func pad(_ count: Int) throws(TarError) {
    let rest = count % TarHeader.blockSize
    if rest != 0 { try emit([UInt8](repeating: 0, count: TarHeader.blockSize - rest)) }
  }
}
