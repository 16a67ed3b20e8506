import Crypto
@_spi(Inlining) import TreasuryModel
import TreasuryZlib

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Something that yields the bytes of one input, in order.
package protocol ByteSource: AnyObject {
  /// The path shown in messages (`-` for standard input).
  var path: String { get }
  /// Fills the start of `buffer`; returns how many bytes it wrote, 0 at the end.
  func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int
}
