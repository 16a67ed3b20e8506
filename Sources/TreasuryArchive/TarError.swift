import TreasuryInput
@_spi(Inlining) import TreasuryModel

/// A problem writing or reading a tar stream, naming the member it concerns.
package enum TarError: Error, Sendable, Equatable {
  /// The bytes under the tar stream could not be read (I/O, or the gzip layer is corrupt or cut short).
  /// `inside` tells whether the member's data was being read or the header after it.
  case source(InputError, member: String?, inside: Bool)
  /// A header block whose checksum does not match its bytes; `name` is what its name field still reads, if anything.
  case badChecksum(offset: Int, after: String?, name: String?)
  /// A header that is not ustar, pax or GNU tar, or a field that is not a number.
  case badHeader(offset: Int, after: String?, detail: String)
  /// The stream ends inside a header.
  case truncatedHeader(offset: Int, after: String?)
  /// The stream ends inside a member's data or padding.
  case truncatedData(member: String, expected: Int, found: Int)
  /// The bytes that pad a member's data to a whole block are not zero.
  case nonzeroPadding(member: String)
  /// A pax extended header or GNU long name that cannot be read.
  case badExtendedHeader(member: String?, detail: String)
  /// The stream ends without the two zero blocks that close a tar archive.
  case missingEndMarker(after: String?)
  /// Something other than zero bytes follows the end-of-archive marker.
  case trailingData(offset: Int)
  /// A writer was given more or fewer bytes than the member's declared size.
  case sizeMismatch(member: String, declared: Int, written: Int)
  /// A writer call out of order (data with no member open, a member begun before the last ended).
  case misuse(String)
  /// The stream below the writer failed.
  case output(OutputError)

  /// The member a message should name: the one being read, or the last one read before the fault.
  package var member: String? {
    switch self {
    case .source(_, let member, _): return member
    case .badChecksum(_, let after, let name): return name ?? after
    case .badHeader(_, let after, _), .truncatedHeader(_, let after),
      .missingEndMarker(let after):
      return after
    case .truncatedData(let member, _, _), .nonzeroPadding(let member), .sizeMismatch(let member, _, _):
      return member
    case .badExtendedHeader(let member, _): return member
    case .trailingData, .misuse, .output: return nil
    }
  }

  /// What went wrong, without the archive's path (the caller adds it).
  package var message: String {
    let after = { (member: String?) in member.map { ", after member \($0)" } ?? ", at the start of the archive" }
    switch self {
    case .source(let error, let member, let inside):
      let place = member.map { inside ? " while reading member \($0)" : " after member \($0)" } ?? ""
      switch error {
      case .corruptGzip(_, _, let reason) where member == nil && !inside:
        return "gzip data is corrupt or cut short before the first member (\(reason))"
      case .corruptGzip(_, _, let reason): return "gzip data is corrupt or cut short\(place) (\(reason))"
      case .unreadable(_, let reason): return "cannot read\(place): \(reason)"
      case .notFound: return "no such file"
      default: return error.message
      }
    case .badChecksum(let offset, let member, let name?):
      return "the tar header of member \(name) (at byte \(offset)\(after(member))) has a wrong checksum"
    case .badChecksum(let offset, let member, nil):
      return "the tar header at byte \(offset)\(after(member)), has a wrong checksum"
    case .badHeader(let offset, let member, let detail):
      return "the tar header at byte \(offset)\(after(member)), is not valid: \(detail)"
    case .truncatedHeader(let offset, let member):
      return "the archive is cut short: it ends inside the tar header at byte \(offset)\(after(member))"
    case .truncatedData(let member, let expected, let found) where found == expected:
      return "the archive is cut short in the padding after member \(member) (\(expected) bytes)"
    case .truncatedData(let member, let expected, let found):
      return "the archive is cut short inside member \(member): \(found) of its \(expected) bytes are present"
    case .nonzeroPadding(let member):
      return "the padding after member \(member) is not zero"
    case .badExtendedHeader(let member, let detail):
      return "extended header\(member.map { " of member \($0)" } ?? "") is not valid: \(detail)"
    case .missingEndMarker(let member):
      return "the archive is cut short: no end-of-archive marker\(after(member))"
    case .trailingData(let offset):
      return "bytes other than zero follow the end-of-archive marker (at byte \(offset))"
    case .sizeMismatch(let member, let declared, let written):
      return "member \(member) was declared as \(declared) bytes but \(written) were written"
    case .misuse(let detail):
      return detail
    case .output(let error):
      return error.message
    }
  }
}
