/// The gzip readers' fast path: members that lie whole in a reader's input window, decoded by libdeflate in one call
/// and handed out in the pieces the reader's caller asks for.
///
/// It stays on until the first member libdeflate declines (too large, damaged, cut short, header flags); from then
/// on the reader's zlib `Inflater` reads that member from its start and the rest of the file, so a file of large
/// members from another writer costs at most one wasted attempt and every fault is reported by zlib.
package final class WholeGzipMembers {
  /// The most data a member may hold to be taken: what this tool writes per member (`GzipTarget.blockSize`).
  package static let dataLimit = 1 << 20
  /// Compressed input a reader holds before an attempt: such a member stored uncompressed, with its framing.
  package static let inputWindow = dataLimit + 64 * 1024

  private var decoder: GzipMemberDecoder?
  private let decoded: UnsafeMutableRawBufferPointer
  private var start = 0
  private var end = 0
  /// Members decoded whole (the rest went through zlib).
  package private(set) var count = 0

  package init() {
    decoder = try? GzipMemberDecoder()
    decoded = .allocate(byteCount: Self.dataLimit, alignment: 16)
  }

  deinit { decoded.deallocate() }

  /// Whether members are still tried: false after the first decline.
  package var isOn: Bool { decoder != nil }

  /// Whether a decoded member has bytes not handed out yet.
  package var hasPending: Bool { start < end }

  /// Copies pending decoded bytes into `buffer`: how many.
  package func deliver(into buffer: UnsafeMutableRawBufferPointer) -> Int {
    let n = min(buffer.count, end - start)
    if n > 0, let to = buffer.baseAddress, let from = decoded.baseAddress {
      to.copyMemory(from: from + start, byteCount: n)
    }
    start += n
    return n
  }

  /// Decodes the member at the start of `window` and counts it in `inflater`: the compressed bytes it took, or nil
  /// when libdeflate declines it, which turns the fast path off.
  package func decode(_ window: UnsafeRawBufferPointer, countingIn inflater: Inflater) -> Int? {
    guard let decoder, !window.isEmpty, let member = decoder.decode(window, into: decoded) else {
      decoder = nil
      return nil
    }
    inflater.skipMember(consumed: member.consumed)
    count += 1
    start = 0
    end = member.produced
    return member.consumed
  }
}
