import CLibDeflate
import Synchronization

// The only file that imports libdeflate. It works on whole buffers: a block of
// input in, one complete gzip member out, and back.

/// Compresses one whole block of input into one complete, reproducible gzip member with libdeflate.
///
/// The member is `1f 8b 08 00`, mtime 0, the extra-flags byte zlib would
/// write for the level, OS 255 (unknown), then raw DEFLATE, then CRC-32 and
/// length. libdeflate's own gzip wrapper writes OS 3 (Unix); writing the
/// header here keeps it the one `verify` expects and the same on every
/// machine. Compressors (a few hundred KB each) are kept for reuse between
/// calls, per level, so many small members do not each allocate one.
package enum GzipMemberEncoder {
  static let headerSize = 10
  static let trailerSize = 8

  /// Idle compressors by level; a thread takes one for a call and puts it back.
  private static let idle = Mutex<[Int32: [Compressor]]>([:])

  /// The most bytes a member of `inputCount` bytes can take, header and trailer included.
  package static func bound(_ inputCount: Int, level: Int32) throws(ZlibError) -> Int {
    let compressor = try take(level)
    defer { put(compressor, level) }
    return headerSize + libdeflate_deflate_compress_bound(compressor.pointer, inputCount) + trailerSize
  }

  /// Writes the gzip member of `input` at the start of `output` (at least `bound` bytes) and returns its size.
  ///
  /// `level` is 0 (stored) … 9 as with zlib; libdeflate's level 6 is its
  /// default balance too (and 10–12 are not offered, as zlib has none).
  package static func encode(
    _ input: UnsafeRawBufferPointer, level: Int32, into output: UnsafeMutableRawBufferPointer
  ) throws(ZlibError) -> Int {
    let compressor = try take(level)
    defer { put(compressor, level) }
    let need = headerSize + libdeflate_deflate_compress_bound(compressor.pointer, input.count) + trailerSize
    guard output.count >= need, let out = output.baseAddress else {
      throw ZlibError(code: -5, message: "gzip compression needs \(need) bytes of output room, has \(output.count)")
    }
    let header: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, extraFlags(level), 255]
    header.withUnsafeBytes { out.copyMemory(from: $0.baseAddress!, byteCount: headerSize) }
    let room = output.count - headerSize - trailerSize
    let compressed = libdeflate_deflate_compress(
      compressor.pointer, input.baseAddress, input.count, out + headerSize, room)
    // 0 means it did not fit, which `bound` rules out.
    guard compressed > 0 else { throw ZlibError(code: -5, message: "gzip compression ran out of output room") }
    let crc = libdeflate_crc32(0, input.baseAddress, input.count)
    // ISIZE is the length modulo 2^32, as gzip defines it.
    let size = UInt32(truncatingIfNeeded: input.count)
    var end = headerSize + compressed
    for value in [crc, size] {
      for shift in stride(from: 0, to: 32, by: 8) {
        out.storeBytes(of: UInt8(truncatingIfNeeded: value >> UInt32(shift)), toByteOffset: end, as: UInt8.self)
        end += 1
      }
    }
    return end
  }

  /// The header's XFL byte as zlib sets it (2 at level 9, 4 below 2, else 0), so every member of a file agrees.
  static func extraFlags(_ level: Int32) -> UInt8 {
    level == 9 ? 2 : level < 2 ? 4 : 0
  }

  private static func take(_ level: Int32) throws(ZlibError) -> Compressor {
    guard (0...9).contains(level) else {
      throw ZlibError(code: -2, message: "gzip level \(level) is not 0 … 9")
    }
    if let kept = idle.withLock({ $0[level]?.popLast() }) { return kept }
    guard let pointer = libdeflate_alloc_compressor(level) else {
      throw ZlibError(code: -4, message: "cannot start gzip compression (level \(level)): out of memory")
    }
    return Compressor(pointer: pointer)
  }

  private static func put(_ compressor: Compressor, _ level: Int32) {
    idle.withLock { $0[level, default: []].append(compressor) }
  }

  /// One libdeflate compressor, used by one thread at a time (taken from and put back into `idle`).
  private final class Compressor: @unchecked Sendable {
    let pointer: OpaquePointer

    init(pointer: OpaquePointer) { self.pointer = pointer }

    deinit { libdeflate_free_compressor(pointer) }
  }
}

/// Decompresses one whole gzip member that lies complete in memory, with libdeflate; declines anything else.
///
/// A fast path beside zlib's streaming `Inflater`, not a replacement: any
/// failure (a member longer than the buffers, truncated, corrupt, a bad CRC-32
/// or length) is a plain `nil`, and the caller reads that member again with
/// zlib, which then reports the fault with its own message after delivering
/// every byte before it. Only members without header flags are taken:
/// libdeflate skips a header CRC (FHCRC) that zlib checks.
package final class GzipMemberDecoder {
  private let pointer: OpaquePointer

  package init() throws(ZlibError) {
    guard let pointer = libdeflate_alloc_decompressor() else {
      throw ZlibError(code: -4, message: "cannot start gzip decompression: out of memory")
    }
    self.pointer = pointer
  }

  deinit { libdeflate_free_decompressor(pointer) }

  /// Decodes the member at the start of `input` into `output`: the bytes it took and the bytes it made, or nil.
  ///
  /// libdeflate checks the member's CRC-32 and ISIZE; bytes after the member are left for the caller.
  package func decode(
    _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
  ) -> (consumed: Int, produced: Int)? {
    // ID1 ID2 CM FLG: flags 0, as this tool writes.
    guard input.count >= 18, input[0] == 0x1F, input[1] == 0x8B, input[2] == 8, input[3] == 0 else { return nil }
    var consumed = 0
    var produced = 0
    let result = libdeflate_gzip_decompress_ex(
      pointer, input.baseAddress, input.count, output.baseAddress, output.count, &consumed, &produced)
    guard result == LIBDEFLATE_SUCCESS else { return nil }
    return (consumed, produced)
  }
}
