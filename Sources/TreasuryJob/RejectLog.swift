import Synchronization
import TreasuryInput
@_spi(Inlining) import TreasuryModel
import TreasuryPartition

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The lines a run could not use: every one counted, the first `shownLimit` (in input order) kept for the
/// messages, and with `--skip-invalid` every one written to a spill file in the staging folder, for
/// `rejects.jsonl`. Memory holds neither the lines nor their text, however many there are.
///
/// Each worker has a `RejectCollector`; each file or range it reads is a segment of its spill file, in line
/// order. Segments of different reads never interleave in (file, line) order, so `copy(to:)` writes the segments
/// sorted by (file, first line) and gives the list in input order whatever the number of workers.
final class RejectLog: Sendable {
  /// Where spill files go; nil without `--skip-invalid` (nothing but the shown lines and the count is needed).
  let folder: String?
  let shownLimit: Int
  private let state = Mutex(State())

  struct Key: Comparable, Sendable {
    var file: Int32
    var line: Int
    /// Order of the lines' problems within one segment (a line may have several).
    var sequence: Int

    static func < (a: Key, b: Key) -> Bool { (a.file, a.line, a.sequence) < (b.file, b.line, b.sequence) }
  }

  struct Kept: Sendable {
    var key: Key
    var line: InvalidLine
  }

  struct Segment: Sendable {
    var file: Int32
    var firstLine: Int
    var path: String
    var offset: Int
    var length: Int
  }

  private struct State {
    var count = 0
    var shown: [Kept] = []
    var segments: [Segment] = []
    var collectors = 0
    var spills: [String] = []
    var failure: SpillError?
  }

  init(folder: String?, shownLimit: Int = RunReport.listLimit) {
    self.folder = folder
    self.shownLimit = shownLimit
  }

  func collector() -> RejectCollector {
    let n = state.withLock { state in
      defer { state.collectors += 1 }
      return state.collectors
    }
    return RejectCollector(log: self, path: folder.map { $0 + "/rejects-\(n).jsonl" })
  }

  /// Every line set aside or reported, counted.
  var count: Int { state.withLock { $0.count } }

  /// The first `shownLimit` lines in input order (their `raw` left empty: messages do not show it).
  var shown: [InvalidLine] { state.withLock { $0.shown.map(\.line) } }

  func finished(
    count: Int, kept: [Kept], segments: [Segment], spill: String?, failure: SpillError?
  ) {
    state.withLock { state in
      state.count += count
      state.shown = Self.smallest(state.shown + kept, shownLimit)
      state.segments += segments
      if let spill { state.spills.append(spill) }
      state.failure = state.failure ?? failure
    }
  }

  /// Copies every line set aside, in input order, as `rejects.jsonl` records.
  func copy(to target: RenderTarget) throws(SpillError) {
    let (segments, failure) = state.withLock { state in
      (state.segments.sorted { ($0.file, $0.firstLine) < ($1.file, $1.firstLine) }, state.failure)
    }
    if let failure { throw failure }
    var buffer = [UInt8](repeating: 0, count: 1 << 20)
    var current: (path: String, fd: Int32)? = nil
    defer { if let current { close(current.fd) } }
    for segment in segments {
      if current?.path != segment.path {
        if let current { close(current.fd) }
        current = nil
        let fd = open(segment.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .cannotRead(path: segment.path, reason: String(cString: strerror(errno))) }
        current = (segment.path, fd)
      }
      let fd = current!.fd
      var done = 0
      while done < segment.length {
        let n = buffer.withUnsafeMutableBytes {
          pread(fd, $0.baseAddress!, min($0.count, segment.length - done), off_t(segment.offset + done))
        }
        if n < 0 && errno == EINTR { continue }
        guard n > 0 else {
          throw .cannotRead(
            path: segment.path, reason: n < 0 ? String(cString: strerror(errno)) : "it is shorter than written")
        }
        do {
          try buffer.withTypedBytes { (raw) throws(OutputError) in
            try target.write(UnsafeRawBufferPointer(rebasing: raw[0..<n]))
          }
        } catch {
          throw .cannotWrite(path: "rejects.jsonl", reason: error.message)
        }
        done += n
      }
    }
  }

  /// Removes the spill files (they must not be committed with the output).
  func remove() {
    let spills = state.withLock { $0.spills }
    for spill in spills { unlink(spill) }
    if let folder { rmdir(folder) }
  }

  /// The `limit` smallest by key, sorted.
  static func smallest(_ lines: [Kept], _ limit: Int) -> [Kept] {
    Array(lines.sorted { $0.key < $1.key }.prefix(limit))
  }
}

extension RejectsJSONL {
  /// One `rejects.jsonl` record: the bytes `JSONEncoder` gives with sorted keys and unescaped slashes (kept by
  /// hand: millions of lines may be set aside).
  static func append(_ line: InvalidLine, to out: inout [UInt8]) {
    out.append(contentsOf: #"{"file":"#.utf8)
    string(line.file, &out)
    out.append(contentsOf: #","line":\#(line.line),"raw":"#.utf8)
    string(line.raw, &out)
    if let bytes = line.rawBytes { out.append(contentsOf: #","raw_bytes":\#(bytes)"#.utf8) }
    out.append(contentsOf: #","reason":"#.utf8)
    string(line.reason, &out)
    out.append(contentsOf: "}\n".utf8)
  }

  private static let hex = Array("0123456789abcdef".utf8)

  private static func string(_ text: String, _ out: inout [UInt8]) {
    out.append(0x22)
    var text = text
    text.withUTF8 { bytes in
      // Runs that need no escape are copied whole.
      var start = 0
      for i in bytes.indices where bytes[i] < 0x20 || bytes[i] == 0x22 || bytes[i] == 0x5C {
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i]))
        switch bytes[i] {
        case 0x22: out.append(contentsOf: #"\""#.utf8)
        case 0x5C: out.append(contentsOf: #"\\"#.utf8)
        case 0x08: out.append(contentsOf: #"\b"#.utf8)
        case 0x09: out.append(contentsOf: #"\t"#.utf8)
        case 0x0A: out.append(contentsOf: #"\n"#.utf8)
        case 0x0C: out.append(contentsOf: #"\f"#.utf8)
        case 0x0D: out.append(contentsOf: #"\r"#.utf8)
        default: out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(bytes[i] >> 4)], hex[Int(bytes[i] & 15)]])
        }
        start = i + 1
      }
      out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
    }
    out.append(0x22)
  }
}
