import CZlib

// The only file that imports zlib. Every call goes through `check`, which turns
// zlib's return codes into `ZlibError`.

/// What went wrong inside zlib, with zlib's own message when it gave one.
public struct ZlibError: Error, Sendable, CustomStringConvertible {
  public var code: Int32
  public var message: String

  public var description: String { message }
}

/// Streaming gzip decompression (also reads zlib streams and concatenated gzip members).
///
/// A class so that the `z_stream` stays at one address for its whole life:
/// zlib keeps a pointer back to it inside its internal state.
public final class Inflater {
  private var stream = z_stream()
  private var finished = false
  private var pendingReset = false

  public init() throws(ZlibError) {
    // 15 + 32: a 32 KiB window, and detect gzip or zlib headers automatically.
    try check(CZlib_inflateInit2(&stream, 15 + 32), "cannot start gzip decompression")
  }

  deinit { inflateEnd(&stream) }

  /// Decompresses from `input` into `output`.
  ///
  /// Returns how many input bytes were consumed, how many output bytes were
  /// produced, and whether a gzip member ended (more members may follow).
  public func inflate(
    input: UnsafeRawBufferPointer, output: UnsafeMutableRawBufferPointer
  ) throws(ZlibError) -> (consumed: Int, produced: Int, memberEnded: Bool) {
    if pendingReset {
      try check(inflateReset(&stream), "cannot restart gzip decompression")
      pendingReset = false
    }
    stream.next_in = UnsafeMutablePointer(
      mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
    stream.avail_in = UInt32(input.count)
    stream.next_out = output.baseAddress?.assumingMemoryBound(to: Bytef.self)
    stream.avail_out = UInt32(output.count)
    let code = CZlib.inflate(&stream, Z_NO_FLUSH)
    let consumed = input.count - Int(stream.avail_in)
    let produced = output.count - Int(stream.avail_out)
    stream.next_in = nil
    stream.next_out = nil
    switch code {
    case Z_OK:
      return (consumed, produced, false)
    case Z_BUF_ERROR:
      // No progress possible with these buffers; the caller supplies more input.
      return (consumed, produced, false)
    case Z_STREAM_END:
      pendingReset = true
      return (consumed, produced, true)
    default:
      throw error(code, "corrupt gzip data")
    }
  }

  private func check(_ code: Int32, _ context: String) throws(ZlibError) {
    if code != Z_OK { throw error(code, context) }
  }

  private func error(_ code: Int32, _ context: String) -> ZlibError {
    let detail = stream.msg.map { String(cString: $0) }
    return ZlibError(code: code, message: detail.map { "\(context) (\($0))" } ?? context)
  }
}
