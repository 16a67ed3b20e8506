import CZlib

// The only file that imports zlib. Every call goes through `check`, which turns
// zlib's return codes into `ZlibError`.

/// What went wrong inside zlib, with zlib's own message when it gave one.
package struct ZlibError: Error, Sendable, CustomStringConvertible {
  package var code: Int32
  package var message: String

  package init(code: Int32, message: String) {
    self.code = code
    self.message = message
  }

  package var description: String { message }
}

/// Streaming gzip decompression (also reads zlib streams and concatenated gzip members).
///
/// A class so that the `z_stream` stays at one address for its whole life:
/// zlib keeps a pointer back to it inside its internal state.
package final class Inflater {
  private var stream = z_stream()
  private var pendingReset = false
  /// Input bytes zlib has taken so far, over all members.
  package private(set) var consumedTotal = 0
  /// True from the first progress in a gzip member until its end: input ending here is cut short.
  package private(set) var isInsideMember = false

  package init() throws(ZlibError) {
    // 15 + 32: a 32 KiB window, and detect gzip or zlib headers automatically.
    try check(CZlib_inflateInit2(&stream, 15 + 32), "cannot start gzip decompression")
  }

  deinit { inflateEnd(&stream) }

  /// Decompresses from `input` into `output`.
  ///
  /// Returns how many input bytes were consumed, how many output bytes were
  /// produced, and whether a gzip member ended (more members may follow).
  /// zlib counts in 32 bits, so at most 4 GiB of either buffer is used per call;
  /// the caller offers the rest again, as it does after any partial consumption.
  package func inflate(
    input: UnsafeRawBufferPointer, output: UnsafeMutableRawBufferPointer
  ) throws(ZlibError) -> (consumed: Int, produced: Int, memberEnded: Bool) {
    if pendingReset {
      try check(inflateReset(&stream), "cannot restart gzip decompression")
      pendingReset = false
    }
    let offered = min(input.count, Int(UInt32.max))
    let room = min(output.count, Int(UInt32.max))
    stream.next_in = UnsafeMutablePointer(
      mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
    stream.avail_in = UInt32(offered)
    stream.next_out = output.baseAddress?.assumingMemoryBound(to: Bytef.self)
    stream.avail_out = UInt32(room)
    let code = CZlib.inflate(&stream, Z_NO_FLUSH)
    let consumed = offered - Int(stream.avail_in)
    let produced = room - Int(stream.avail_out)
    stream.next_in = nil
    stream.next_out = nil
    consumedTotal += consumed
    switch code {
    case Z_OK, Z_BUF_ERROR:
      // Z_BUF_ERROR: no progress possible with these buffers; the caller supplies more input.
      if consumed > 0 || produced > 0 { isInsideMember = true }
      return (consumed, produced, false)
    case Z_STREAM_END:
      pendingReset = true
      isInsideMember = false
      return (consumed, produced, true)
    default:
      throw error(code, "corrupt gzip data")
    }
  }

  /// Counts a whole member that was decoded elsewhere (`GzipMemberDecoder`), between two of this stream's members.
  package func skipMember(consumed: Int) {
    precondition(!isInsideMember, "a member was decoded elsewhere while zlib was inside one")
    consumedTotal += consumed
  }

  /// Checks that the input may end here: something was read, and no member was left unfinished.
  package func checkEnd() throws(ZlibError) {
    if consumedTotal == 0 { throw ZlibError(code: Z_DATA_ERROR, message: "the file is empty") }
    if isInsideMember { throw ZlibError(code: Z_DATA_ERROR, message: "unexpected end of file") }
  }

  private func check(_ code: Int32, _ context: String) throws(ZlibError) {
    if code != Z_OK { throw error(code, context) }
  }

  private func error(_ code: Int32, _ context: String) -> ZlibError {
    let detail = stream.msg.map { String(cString: $0) }
    return ZlibError(code: code, message: detail.map { "\(context) (\($0))" } ?? context)
  }
}

/// Streaming gzip compression with a reproducible header (mtime 0, no file name, OS "unknown").
///
/// A class for the same reason as `Inflater`: the `z_stream` must not move.
package final class Deflater {
  private var stream = z_stream()
  private var header = gz_header()
  private var output: UnsafeMutableRawBufferPointer

  /// `level` 0 (store) … 9 (smallest); zlib's default is 6.
  package init(level: Int32 = 6) throws(ZlibError) {
    output = .allocate(byteCount: 64 * 1024, alignment: 16)
    // 15 + 16: a 32 KiB window with a gzip wrapper.
    let code = CZlib_deflateInit2(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY)
    guard code == Z_OK else {
      output.deallocate()
      throw ZlibError(code: code, message: "cannot start gzip compression (level \(level))")
    }
    // Without an explicit header zlib writes the OS byte of the machine it
    // runs on; 255 ("unknown") keeps the bytes the same everywhere.
    header.os = 255
    deflateSetHeader(&stream, &header)
  }

  deinit {
    deflateEnd(&stream)
    output.deallocate()
  }

  /// Compresses `input`, handing each filled piece of output to `sink`; `finish` ends the stream.
  package func deflate(
    _ input: UnsafeRawBufferPointer, finish: Bool, sink: (UnsafeRawBufferPointer) throws -> Void
  ) throws {
    // zlib counts in 32 bits: input beyond 4 GiB is handed over as the earlier part is taken.
    let base = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
    var given = min(input.count, Int(UInt32.max))
    stream.next_in = base
    stream.avail_in = UInt32(given)
    defer {
      stream.next_in = nil
      stream.next_out = nil
    }
    while true {
      if stream.avail_in == 0 && given < input.count {
        let more = min(input.count - given, Int(UInt32.max))
        stream.next_in = base.map { $0 + given }
        stream.avail_in = UInt32(more)
        given += more
      }
      // Finish only once zlib has seen the last input byte.
      let flush = finish && given == input.count ? Z_FINISH : Z_NO_FLUSH
      stream.next_out = output.baseAddress?.assumingMemoryBound(to: Bytef.self)
      stream.avail_out = UInt32(output.count)
      let code = CZlib.deflate(&stream, flush)
      let produced = output.count - Int(stream.avail_out)
      if produced > 0 { try sink(UnsafeRawBufferPointer(rebasing: output[0..<produced])) }
      if code == Z_STREAM_END { return }
      guard code == Z_OK || code == Z_BUF_ERROR else {
        throw ZlibError(code: code, message: "gzip compression failed")
      }
      // Without finish, stop once zlib has taken all input and has room left.
      if !finish && given == input.count && stream.avail_in == 0 && stream.avail_out != 0 { return }
    }
  }
}
